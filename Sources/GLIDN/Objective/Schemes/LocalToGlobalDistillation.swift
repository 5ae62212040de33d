import Autograd
import HOIData

/// `local-to-global`: the local graphs teach the global graph: KL(local ‖ global) and 1 - cos(hG, sg(l̄)).
public struct LocalToGlobalDistillation: DistillationScheme {
    public static let name = "local-to-global"
    public static let summary = "the local graphs teach the global graph: KL(local ‖ global) and 1 - cos(hG, sg(l̄))"
    public static let termNames = [DistillationDirection.logitTerm, DistillationDirection.featureTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        DistillationDirection.terms([.localToGlobal], output, targets: targets, config: config)
    }
}
