/// How a model is trained. The JSON form is stored in resume files, so that a resumed
/// run can check it continues the same run.
public struct TrainingOptions: Codable, Equatable, Sendable {
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

    public var epochs = 30
    public var batchSize = 32
    public var learningRate: Float = 3e-3
    public var weightDecay: Float = 1e-4
    public var optimizer = OptimizerKind.adamw
    /// SGD only.
    public var momentum: Float = 0.9
    public var schedule = ScheduleKind.cosine
    /// Linear warm-up length, in epochs (fractions allowed).
    public var warmupEpochs: Double = 1
    /// Gradient-norm clipping; nil for none.
    public var clipNorm: Float? = 5
    public var seed: UInt64 = 0
    public var fusion = FusionChoice.mean
    /// Early stopping: the run ends once this many epochs in a row have not improved the
    /// validation metric (nil: every epoch runs).
    public var patience: Int?

    public init() {}

    public static let maximumEpochs = 1_000_000
    public static let maximumBatchSize = 1 << 16

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, weightDecay, optimizer, momentum, schedule, warmupEpochs, clipNorm, seed, fusion, patience
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try c.decode(Int.self, forKey: .epochs)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        weightDecay = try c.decode(Float.self, forKey: .weightDecay)
        optimizer = try c.decode(OptimizerKind.self, forKey: .optimizer)
        momentum = try c.decode(Float.self, forKey: .momentum)
        schedule = try c.decode(ScheduleKind.self, forKey: .schedule)
        warmupEpochs = try c.decode(Double.self, forKey: .warmupEpochs)
        clipNorm = try c.decodeIfPresent(Float.self, forKey: .clipNorm)
        seed = try c.decode(UInt64.self, forKey: .seed)
        fusion = try c.decodeIfPresent(FusionChoice.self, forKey: .fusion) ?? .mean
        patience = try c.decodeIfPresent(Int.self, forKey: .patience)
    }

    public func validate() throws(TrainingError) {
        func fail(_ p: String) -> TrainingError { .invalidOptions(p) }
        guard (1...Self.maximumEpochs).contains(epochs) else { throw fail("epochs must lie in 1…\(Self.maximumEpochs) (got \(epochs))") }
        guard (1...Self.maximumBatchSize).contains(batchSize) else {
            throw fail("batch size must lie in 1…\(Self.maximumBatchSize) (got \(batchSize))")
        }
        guard learningRate > 0, learningRate.isFinite else { throw fail("learning rate must be positive (got \(learningRate))") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw fail("weight decay cannot be negative (got \(weightDecay))") }
        guard (0..<1).contains(momentum) else { throw fail("momentum must lie in [0, 1) (got \(momentum))") }
        guard warmupEpochs >= 0, warmupEpochs.isFinite else { throw fail("warm-up cannot be negative (got \(warmupEpochs))") }
        if let patience { guard patience >= 1 else { throw fail("patience must be at least 1 epoch (got \(patience))") } }
        if let clipNorm { guard clipNorm > 0, clipNorm.isFinite else { throw fail("the clipping norm must be positive (got \(clipNorm))") } }
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
            return "the loss became non-finite at epoch \(epoch), step \(step) (\(shown)); lower the learning rate or check the data for extreme values"
        case .resumeMismatch(let path, let problem): return "cannot resume from \(path): \(problem)"
        case .nothingToResume(let path): return "nothing to resume: \(path) does not exist (start without --resume)"
        }
    }
}
