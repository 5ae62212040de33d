import Autograd
import HOIData

/// `global-to-local`: the global graph teaches the local graphs: KL(global ‖ local) and 1 - cos(l̄, sg(hG)).
public struct GlobalToLocalDistillation: DistillationScheme {
    public static let name = "global-to-local"
    public static let summary = "the global graph teaches the local graphs: KL(global ‖ local) and 1 - cos(l̄, sg(hG))"
    public static let termNames = [DistillationDirection.logitTerm, DistillationDirection.featureTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        DistillationDirection.terms([.globalToLocal], output, targets: targets, config: config)
    }
}
