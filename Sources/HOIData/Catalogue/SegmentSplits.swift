import Foundation

extension DataSplits {
    /// Segment clips of whole videos, split as `request` asks: with a `fold`, the segments of
    /// that subject are the test set and the rest is split by video into training and
    /// validation; without one, there is no test set.
    ///
    /// - Parameters:
    ///   - subjects: each clip's subject, for leave-one-subject-out (nil: the data has none).
    static func segments(
        info: DatasetInfo, clips: [Clip], videos: [String], subjects: [Int]?, request: DataRequest,
        source: String
    ) throws -> DataSplits {
        var pool = Array(clips.indices)
        var test: [Int]?
        var name = info.name
        if let fold = request.fold {
            guard let subjects else {
                throw DataRequestError("--fold: \(source) does not say which subject each video shows")
            }
            let (rest, held) = VideoSplits.leaveOneSubjectOut(subjects: subjects, fold: fold)
            guard !held.isEmpty else {
                throw DataRequestError(
                    "--fold \(fold): no segment of subject \(fold) in \(source) (subjects: \(Set(subjects).sorted().map(String.init).joined(separator: ", ")))"
                )
            }
            (pool, test) = (rest, held)
            name += " fold \(fold)"
        }
        let all = Dataset(info: info, clips: clips)
        let (train, validation) = VideoSplits.byVideo(
            videoIDs: pool.map { videos[$0] }, validationFraction: request.validationFraction,
            seed: request.splitSeed)
        return DataSplits(
            info: info, train: all.subset(train.map { pool[$0] }),
            validation: validation.isEmpty ? nil : all.subset(validation.map { pool[$0] }),
            test: test.map { all.subset($0) }, all: all,
            description:
                "\(name) \(request.data?.path ?? "") split \(request.validationFraction) seed \(request.splitSeed)",
            folds: Set(subjects ?? []).sorted())
    }
}
