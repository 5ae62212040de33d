import HOIData
import Settings

/// Part `index` of `count` of a data set's training clips, by whole clip (a video and all its
/// prefixes fall in one part): what a cross-fitted teacher does not train on, so that its
/// predictions of those clips are those of a model that has not seen them.
public struct TrainingPart: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        (self.index, self.count) = (index, count)
    }

    /// The part of each distinct whole clip of `data`, in order of first appearance: the i-th
    /// distinct clip falls in part i mod count.
    public static func parts(of data: Dataset, count: Int) throws -> [String: Int] {
        var parts: [String: Int] = [:]
        for i in 0..<data.count {
            let id = try data.clip(at: i).wholeClipID
            if parts[id] == nil { parts[id] = parts.count % count }
        }
        return parts
    }

    /// The splits with this part removed from the training clips (validation and test kept),
    /// described so that a resumed run checks it trains on the same clips.
    func leftOut(of data: DataSplits) throws -> DataSplits {
        let parts = try Self.parts(of: data.train, count: count)
        let kept = try (0..<data.train.count).filter { parts[try data.train.clip(at: $0).wholeClipID] != index }
        guard !kept.isEmpty else {
            let whole = Set(parts.keys).count
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
