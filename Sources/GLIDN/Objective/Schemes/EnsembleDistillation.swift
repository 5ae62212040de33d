import Autograd
import HOIData

/// `ensemble`: both branches learn from their fused prediction (on-the-fly native ensemble,
/// Lan et al. 2018; KDCL, Guo et al. 2020). The teacher is the mean of the two branches'
/// logits, detached: τ² · (D(E → L) + D(E → G)), weight λ_kd. A weaker branch then pulls the
/// stronger one only as far as the mean of the two is worse than it.
public struct EnsembleDistillation: DistillationScheme {
    public static let name = "ensemble"
    public static let summary =
        "both branches learn from the mean of their logits (detached): τ² · (KL(E ‖ local) + KL(E ‖ global))"
    public static let termNames = [DistillationDirection.logitTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        guard let local = output.localLogits, let global = output.globalLogits else { return [] }
        let teacher = BranchLogits.fused(local: local, global: global, localWeight: 0.5)
        let tau = config.tau
        let divergence =
            GroupLosses.divergence(teacher: teacher, student: local, targets: targets, tau: tau)
            + GroupLosses.divergence(teacher: teacher, student: global, targets: targets, tau: tau)
        return [
            LossTerm(name: DistillationDirection.logitTerm, value: divergence * (tau * tau), weight: config.lambdaKD)
        ]
    }
}
