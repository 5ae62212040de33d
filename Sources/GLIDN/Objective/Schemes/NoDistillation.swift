import Autograd
import HOIData

/// `none`: the two branches train side by side on their own classification losses only.
public struct NoDistillation: DistillationScheme {
    public static let name = "none"
    public static let summary = "no distillation: each branch learns from the labels alone"
    public static let termNames: [String] = []

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    { [] }
}
