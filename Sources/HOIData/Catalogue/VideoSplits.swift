import Autograd

/// Splits that never cut a video (or a subject) in two: clips of one video are all in
/// training, all in validation or all in testing.
public enum VideoSplits {
    /// Holds out a seeded random fraction of whole videos: at least one when the fraction is not
    /// 0 and there are two or more (a few videos still get a held-out part to select and score on).
    public static func byVideo(videoIDs: [String], validationFraction: Double, seed: UInt64) -> (
        train: [Int], validation: [Int]
    ) {
        var videos = Array(Set(videoIDs)).sorted()
        var g = SeededGenerator(seed: seed)
        g.shuffle(&videos)
        var count = Int((Double(videos.count) * validationFraction).rounded())
        if validationFraction > 0 && videos.count >= 2 { count = max(count, 1) }
        let held = Set(videos.prefix(count))
        let train = videoIDs.indices.filter { !held.contains(videoIDs[$0]) }
        let validation = videoIDs.indices.filter { held.contains(videoIDs[$0]) }
        return (train, validation)
    }

    /// Leave-one-subject-out: fold k tests on subject k and trains on the others.
    public static func leaveOneSubjectOut(subjects: [Int], fold: Int) -> (train: [Int], test: [Int]) {
        (subjects.indices.filter { subjects[$0] != fold }, subjects.indices.filter { subjects[$0] == fold })
    }
}
