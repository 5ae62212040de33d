import Autograd
import Foundation
import HOIData
import NN
import Settings

/// Which clips of a data set to score.
public enum SplitChoice: String, CaseIterable, Sendable, SettingChoice {
    case train, validation, test, all

    /// The clips of this split of `data`, and the split's name.
    public func pick(_ data: DataSplits) throws(SettingError) -> (name: String, clips: Dataset) {
        switch self {
        case .train: return ("train", data.train)
        case .all: return ("all", data.all)
        case .validation:
            guard let v = data.validation else {
                throw SettingError("--split validation: the data set has no validation split")
            }
            return ("validation", v)
        case .test:
            guard let t = data.test else {
                throw SettingError("--split test: the data set has no test split (use --split all)")
            }
            return ("test", t)
        }
    }
}

/// A checkpoint opened to evaluate or predict with: its model, what its training run stored,
/// and the data to score it on.
public struct CheckpointScoring {
    public let url: URL
    public let model: GLIDNModel
    public let metadata: [String: String]

    public init(_ url: URL) throws {
        guard InputFile.kind(of: url.path) != nil else { throw SettingError("no checkpoint at \(url.path)") }
        (model, metadata) = try ModelCheckpoint.load(url)
        self.url = url
    }

    /// The data settings its training run stored (nil for older checkpoints).
    public var storedData: SettingValues? { StoredData.settings(in: metadata) }

    /// The data to score on: the `given` data settings over those the training run stored (so
    /// that a model is scored on the data it was trained for unless told otherwise), loaded and
    /// checked against the model; `differences` lists what differs from training.
    public func data(given: SettingValues) throws -> (splits: DataSplits, request: DataRequest, differences: [String]) {
        let stored = storedData
        let request = StoredData.request(given: given, stored: stored)
        let differences = stored.map { StoredData.differences(request, stored: $0) } ?? []
        let splits = try request.load()
        try check(splits.info)
        return (splits, request, differences)
    }

    /// Checks that the model was trained for this kind of data.
    public func check(_ info: DatasetInfo) throws(SettingError) {
        let c = model.config
        guard c.task == info.task else {
            let hint =
                (Catalogues.datasets.entry(named: info.name)?.tasks.count ?? 0) > 1
                ? " (choose the data set's task with --task)" : ""
            throw SettingError(
                "the checkpoint is for the \(c.task.rawValue) task, the \(info.name) data for the \(info.task.rawValue) task\(hint)"
            )
        }
        guard c.temporalContext == info.temporalContext else {
            throw SettingError(
                "the checkpoint's global graph spans '\(c.temporalContext.rawValue)', the data's labels need '\(info.temporalContext.rawValue)' (a model trained for detection cannot score anticipation, nor the reverse: pass the --task it was trained for)"
            )
        }
        guard c.features == info.featureSize, c.categories >= info.categoryNames.count else {
            throw SettingError(
                "the checkpoint expects \(c.features) features and \(c.categories) categories; the data has \(info.featureSize) and \(info.categoryNames.count)"
            )
        }
    }
}
