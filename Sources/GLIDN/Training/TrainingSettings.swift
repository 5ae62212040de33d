import Settings

extension TrainingOptions.OptimizerKind: SettingChoice {}
extension TrainingOptions.ScheduleKind: SettingChoice {}
extension TrainingOptions.FusionChoice: SettingChoice {}

/// Every setting of how a model is trained, declared once. A run's options hold their values
/// (`TrainingOptions.settings`); resume files store them under their keys.
public enum TrainingSettings {
    public static let maximumEpochs = 1_000_000
    public static let maximumBatchSize = 1 << 16

    public static let epochs = Setting<Int>("epochs", default: 30, help: "Epochs", check: .within(1...maximumEpochs))
    public static let batchSize = Setting<Int>(
        "batch-size", default: 32, help: "Clips per batch", check: .within(1...maximumBatchSize),
        legacyKeys: ["batchSize"])
    public static let learningRate = Setting<Float>(
        "lr", default: 1e-2, help: "Peak learning rate", check: .within(1e-12...1e6), aliases: ["learning-rate"],
        legacyKeys: ["learningRate"])
    public static let weightDecay = Setting<Float>(
        "weight-decay", default: 1e-4, help: "Weight decay", check: .within(0...1e6), legacyKeys: ["weightDecay"])
    public static let optimizer = Setting<TrainingOptions.OptimizerKind>(
        "optimizer", default: .adamw, help: "Optimizer")
    public static let momentum = Setting<Float>("momentum", default: 0.9, help: "SGD momentum", check: .within(0..<1))
    public static let schedule = Setting<TrainingOptions.ScheduleKind>(
        "schedule", default: .cosine, help: "Learning-rate schedule: cosine (after a linear warm-up) or constant")
    public static let warmup = Setting<Double>(
        "warmup", default: 1, help: "Warm-up length in epochs", check: .within(0...1e6), legacyKeys: ["warmupEpochs"])
    public static let clipNorm = Setting<Float>(
        "clip-norm", default: 5, help: "Clip the gradient norm to this, 0 for no clipping", check: .within(0...1e9),
        legacyKeys: ["clipNorm"])
    public static let fusion = Setting<TrainingOptions.FusionChoice>(
        "fusion", default: .mean,
        help:
            "How the prediction fuses the branches: mean, local, global, or validation (the weight that scores best on the validation data, chosen after training)"
    )
    public static let seed = Setting<UInt64>("seed", default: 0, help: "Seed of initialisation, shuffling and dropout")
    public static let patience = Setting<Int?>(
        "patience", default: nil, help: "Stop when the validation metric has not improved for this many epochs",
        check: .some(.within(1...maximumEpochs)), defaultNote: "never; best.safetensors keeps the best epoch")
    public static let teacher = Setting<String>(
        "teacher", default: "none",
        help:
            "A model that has seen the whole video, teaching this causal one (online detection, anticipation): a checkpoint, auto (trained first by the recipe of the data's offline task, into OUTPUT/teacher) or none"
    )
    public static let teacherDistill = Setting<String>(
        "teacher-distill", default: TeacherLogitDistillation.name, help: "How the teacher teaches (see below)",
        check: .oneOf { Catalogues.teacherSchemes.names })
    public static let teacherFolds = Setting<Int>(
        "teacher-folds", default: 1,
        help:
            "With --teacher auto: K cross-fitted teachers, each trained without one K-th of the training videos and teaching only those (1: one teacher on all)",
        check: .within(1...10))
    public static let teacherWeight = Setting<Float>(
        "teacher-weight", default: 1, help: "Weight of the teacher's logit term", check: .within(0...1e6))
    public static let teacherFeatureWeight = Setting<Float>(
        "teacher-feature-weight", default: 1, help: "Weight of the teacher's state or relation term",
        check: .within(0...1e6))

    /// In the order `--help` lists them.
    public static let all: [any AnySetting] = [
        epochs, batchSize, learningRate, weightDecay, optimizer, momentum, schedule, warmup, clipNorm, fusion, seed,
        patience, teacher, teacherDistill, teacherFolds, teacherWeight, teacherFeatureWeight,
    ]
}
