import Foundation
import Settings

/// How a model is trained: the values of `TrainingSettings` (those left out have their declared
/// defaults). The JSON form is stored in resume files, so that a resumed run can check it
/// continues the same run.
public struct TrainingOptions: Equatable, Sendable {
    public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case adamw, sgd }
    public enum ScheduleKind: String, Codable, CaseIterable, Sendable { case cosine, constant }
    /// How the two branches' logits are fused into the prediction: their mean, one branch
    /// alone, or the weight that scores best on the validation data after training.
    public enum FusionChoice: String, Codable, CaseIterable, Sendable {
        case mean, local, global, validation

        /// The fixed local weight, or nil for `validation`.
        public var localWeight: Float? {
            switch self {
            case .mean: return 0.5
            case .local: return 1
            case .global: return 0
            case .validation: return nil
            }
        }
    }

    public var settings: SettingValues

    public init(settings: SettingValues = SettingValues()) { self.settings = settings }

    /// Equal when every setting has the same value, given or default.
    public static func == (a: TrainingOptions, b: TrainingOptions) -> Bool {
        a.settings.effective(TrainingSettings.all) == b.settings.effective(TrainingSettings.all)
    }

    public static let maximumEpochs = TrainingSettings.maximumEpochs
    public static let maximumBatchSize = TrainingSettings.maximumBatchSize

    public subscript<V>(_ setting: Setting<V>) -> V {
        get { settings[setting] }
        set { settings[setting] = newValue }
    }

    // The settings the trainer reads, by name.
    public var epochs: Int {
        get { self[TrainingSettings.epochs] }
        set { self[TrainingSettings.epochs] = newValue }
    }
    public var batchSize: Int {
        get { self[TrainingSettings.batchSize] }
        set { self[TrainingSettings.batchSize] = newValue }
    }
    public var learningRate: Float {
        get { self[TrainingSettings.learningRate] }
        set { self[TrainingSettings.learningRate] = newValue }
    }
    public var weightDecay: Float {
        get { self[TrainingSettings.weightDecay] }
        set { self[TrainingSettings.weightDecay] = newValue }
    }
    public var optimizer: OptimizerKind {
        get { self[TrainingSettings.optimizer] }
        set { self[TrainingSettings.optimizer] = newValue }
    }
    /// SGD only.
    public var momentum: Float {
        get { self[TrainingSettings.momentum] }
        set { self[TrainingSettings.momentum] = newValue }
    }
    public var schedule: ScheduleKind {
        get { self[TrainingSettings.schedule] }
        set { self[TrainingSettings.schedule] = newValue }
    }
    /// Linear warm-up length, in epochs (fractions allowed).
    public var warmupEpochs: Double {
        get { self[TrainingSettings.warmup] }
        set { self[TrainingSettings.warmup] = newValue }
    }
    /// Gradient-norm clipping; nil for none (`--clip-norm 0`).
    public var clipNorm: Float? {
        get { self[TrainingSettings.clipNorm] > 0 ? self[TrainingSettings.clipNorm] : nil }
        set { self[TrainingSettings.clipNorm] = newValue ?? 0 }
    }
    public var seed: UInt64 {
        get { self[TrainingSettings.seed] }
        set { self[TrainingSettings.seed] = newValue }
    }
    public var fusion: FusionChoice {
        get { self[TrainingSettings.fusion] }
        set { self[TrainingSettings.fusion] = newValue }
    }
    /// Early stopping: the run ends once this many epochs in a row have not improved the
    /// validation metric (nil: every epoch runs).
    public var patience: Int? {
        get { self[TrainingSettings.patience] }
        set { self[TrainingSettings.patience] = newValue }
    }
    /// Where the teacher comes from: `none`, `auto` or a checkpoint's path.
    public var teacher: String {
        get { self[TrainingSettings.teacher] }
        set { self[TrainingSettings.teacher] = newValue }
    }
    /// How the teacher teaches (`Catalogues.teacherSchemes`).
    public var teacherDistill: String {
        get { self[TrainingSettings.teacherDistill] }
        set { self[TrainingSettings.teacherDistill] = newValue }
    }

    /// Every value checked against its declaration.
    public func validate() throws(TrainingError) {
        for setting in TrainingSettings.all {
            if let value = settings.anyValue(setting), let problem = setting.problem(ofAny: value) {
                throw .invalidOptions(problem.description)
            }
        }
    }

    /// The JSON form: every setting under its key.
    public func json() -> String {
        let object = settings.jsonObject(TrainingSettings.all).filter { !($0.value is NSNull) }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the JSON form (and the camel-case form of older resume files, in which a missing
    /// clipping norm meant none).
    public static func decode(json: String, source: String) throws(TrainingError) -> TrainingOptions {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            throw .invalidOptions("\(source): the training options are not a JSON object")
        }
        do {
            var options = TrainingOptions(
                settings: try SettingValues.decode(object, settings: TrainingSettings.all, source: source))
            if object["batchSize"] != nil, object["clipNorm"] == nil { options.clipNorm = nil }
            return options
        } catch {
            throw .invalidOptions(error.description)
        }
    }
}

/// Why training cannot start or go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidOptions(String)
    case emptyDataset(String)
    case nonFiniteLoss(epoch: Int, step: Int, terms: [String: Float])
    case resumeMismatch(path: String, problem: String)
    case nothingToResume(path: String)

    public var description: String {
        switch self {
        case .invalidOptions(let p): return "invalid training options: \(p)"
        case .emptyDataset(let which): return "the \(which) set holds no clips"
        case .nonFiniteLoss(let epoch, let step, let terms):
            let shown = terms.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
            return
                "the loss became non-finite at epoch \(epoch), step \(step) (\(shown)); lower the learning rate or check the data for extreme values"
        case .resumeMismatch(let path, let problem): return "cannot resume from \(path): \(problem)"
        case .nothingToResume(let path): return "nothing to resume: \(path) does not exist (start without --resume)"
        }
    }
}
