import Autograd

/// Splits that never cut a video (or a subject) in two: clips of one video are all in
/// training, all in validation or all in testing.
public enum VideoSplits {
    /// Holds out a seeded random fraction of whole videos.
    public static func byVideo(videoIDs: [String], validationFraction: Double, seed: UInt64) -> (
        train: [Int], validation: [Int]
    ) {
        var videos = Array(Set(videoIDs)).sorted()
        var g = SeededGenerator(seed: seed)
        g.shuffle(&videos)
        let held = Set(videos.prefix(Int((Double(videos.count) * validationFraction).rounded())))
        let train = videoIDs.indices.filter { !held.contains(videoIDs[$0]) }
        let validation = videoIDs.indices.filter { held.contains(videoIDs[$0]) }
        return (train, validation)
    }

    /// Leave-one-subject-out: fold k tests on subject k and trains on the others.
    public static func leaveOneSubjectOut(subjects: [Int], fold: Int) -> (train: [Int], test: [Int]) {
        (subjects.indices.filter { subjects[$0] != fold }, subjects.indices.filter { subjects[$0] == fold })
    }
}
