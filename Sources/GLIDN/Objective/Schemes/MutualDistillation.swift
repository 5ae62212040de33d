import Autograd
import HOIData

/// `mutual`: each branch teaches the other: logits (τ² · KL both ways) and features (1 - cos both ways).
public struct MutualDistillation: DistillationScheme {
    public static let name = "mutual"
    public static let summary =
        "each branch teaches the other: logits (τ² · KL both ways) and features (1 - cos both ways)"
    public static let termNames = [DistillationDirection.logitTerm, DistillationDirection.featureTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        DistillationDirection.terms([.globalToLocal, .localToGlobal], output, targets: targets, config: config)
    }
}
