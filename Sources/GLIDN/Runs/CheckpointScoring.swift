import Autograd
import Foundation
import HOIData
import Logging
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

/// The data a checkpoint is scored on, and whether it is the data the model was trained on.
public struct ScoringData {
    public let splits: DataSplits
    public let request: DataRequest
    /// Each data setting that differs from training, as "--name A (in training: B)".
    public let differences: [String]
    /// Whether this is the training run's own data (its training clips are among `splits.all`).
    public let sameAsTraining: Bool

    /// The clips to score and what they are.
    public struct Choice {
        public let name: String
        public let clips: Dataset
        /// The clips include some the model was trained on: the score says so.
        public let includesTrainingData: Bool
    }

    /// The clips of `split`, or by default the held-out part: on the training run's own data,
    /// its test split, else its validation split (a score never silently includes training
    /// clips: `train` and `all` must be asked for, and are flagged); on other data, its test
    /// split, else every clip.
    public func choose(_ split: SplitChoice?) throws -> Choice {
        let choice: SplitChoice
        if let split {
            choice = split
        } else if splits.test != nil {
            choice = .test
        } else if sameAsTraining {
            guard splits.validation != nil else {
                throw SettingError(
                    "the data is the one the checkpoint was trained on, and has no held-out part (no test or validation clips; with --video-id, the videos named are all training videos): pass --split all or train to score training clips (the output says so), or name other data"
                )
            }
            choice = .validation
        } else {
            choice = .all
        }
        let (name, clips) = try choice.pick(splits)
        let includes = sameAsTraining && (choice == .train || choice == .all)
        return Choice(name: name, clips: clips, includesTrainingData: includes)
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
    public func data(given: SettingValues) throws -> ScoringData {
        let stored = storedData
        let request = StoredData.request(given: given, stored: stored)
        let differences = stored.map { StoredData.differences(request, stored: $0) } ?? []
        // A stored path that is gone: say where it came from and how to name the data.
        for setting in DataSettings.pathSettings where !given.isGiven(setting.name) {
            if let path = stored?.given(setting) ?? nil, request.values.text(setting) == path,
                InputFile.kind(of: path) == nil
            {
                throw SettingError(
                    "the checkpoint \(url.path) was trained on \(setting.option) \(path), which does not exist (any more, or on this machine): name the data with --dataset \(request.datasetName) \(setting.option) PATH"
                )
            }
        }
        let (splits, files) = try InputFile.recording { try request.load() }
        try check(splits.info)
        let changed = StoredData.changes(stored: StoredData.files(in: metadata), now: files)
        if !changed.isEmpty {
            Logger(label: "glidn.scoring").warning(
                "the data changed since \(url.lastPathComponent) was trained: \(changed.joined(separator: "; "))")
        }
        // The training data again, unless other sources are named (a checkpoint that does not
        // record its data is taken to be scored on its own: the careful reading).
        let same = stored.map { !StoredData.namesOtherData(given: given, stored: $0) } ?? true
        return ScoringData(splits: splits, request: request, differences: differences, sameAsTraining: same)
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
        // Anticipation and online detection share the causal graph; the data says which labels.
        if let stored = metadata["dataset"].flatMap({ try? JSONDecoder().decode(DatasetInfo.self, from: Data($0.utf8)) }
        ),
            let trained = stored.labelsOfNextSegment, let now = info.labelsOfNextSegment, trained != now
        {
            throw SettingError(
                "the checkpoint was trained for \(stored.taskTitle), the data is labelled for \(info.taskTitle): pass the --task it was trained for"
            )
        }
        guard c.features == info.featureSize, c.categories >= info.categoryNames.count else {
            throw SettingError(
                "the checkpoint expects \(c.features) features and \(c.categories) categories; the data has \(info.featureSize) and \(info.categoryNames.count)"
            )
        }
    }
}
