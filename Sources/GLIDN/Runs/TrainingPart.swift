import HOIData
import Settings

/// A data set's training clips dealt into `count` parts by whole clip (a video and all its
/// prefixes fall in one part), worked out once for all the parts: the i-th distinct whole
/// clip, in order of first appearance, falls in part i mod count.
public struct TrainingPartition: Sendable, Equatable {
    public let count: Int
    /// The part of each distinct whole clip, by its `wholeClipID`.
    public let ofWholeClip: [String: Int]

    public init(of data: Dataset, count: Int) throws {
        var parts: [String: Int] = [:]
        for i in 0..<data.count {
            let id = try data.clip(at: i).wholeClipID
            if parts[id] == nil { parts[id] = parts.count % count }
        }
        (self.count, ofWholeClip) = (count, parts)
    }

    /// Part `index` of this partition.
    public func part(_ index: Int) -> TrainingPart { TrainingPart(index: index, of: self) }
}

/// Part `index` of a partition of the training clips: what a cross-fitted teacher does not
/// train on, so that its predictions of those clips are those of a model that has not seen them.
public struct TrainingPart: Sendable, Equatable {
    public let index: Int
    public let partition: TrainingPartition

    init(index: Int, of partition: TrainingPartition) {
        (self.index, self.partition) = (index, partition)
    }

    /// The splits with this part removed from the training clips (validation and test kept),
    /// described so that a resumed run checks it trains on the same clips. A clip the
    /// partition does not know (data that changed since) stays in.
    public func leftOut(of data: DataSplits) throws -> DataSplits {
        let count = partition.count
        let kept = try (0..<data.train.count).filter {
            partition.ofWholeClip[try data.train.clip(at: $0).wholeClipID] != index
        }
        guard !kept.isEmpty else {
            let whole = partition.ofWholeClip.count
            throw SettingError(
                "--teacher-folds \(count): the training set has \(whole) whole clip\(whole == 1 ? "" : "s"); each of \(count) cross-fitted teachers leaves a part out and needs clips left to train on (fewer folds, or --teacher auto alone)"
            )
        }
        return DataSplits(
            info: data.info, train: data.train.subset(kept), validation: data.validation, test: data.test,
            all: data.all,
            description: data.description + " without training part \(index + 1) of \(count)", folds: data.folds)
    }
}
