import Autograd
import HOIData

/// `gated`: row by row (a clip of the video task, an entity of the entity task), only the
/// branch that does better on the true labels teaches, the other learns: τ² · D(better → worse)
/// over the rows, weight λ_kd. "Better" is the lower classification loss of that row (ties:
/// the global branch). The weaker branch never drags the stronger.
public struct GatedDistillation: DistillationScheme {
    public static let name = "gated"
    public static let summary =
        "per clip or entity, the branch with the lower loss on the true labels teaches the other: τ² · KL(better ‖ worse)"
    public static let termNames = [DistillationDirection.logitTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        guard let local = output.localLogits, let global = output.globalLogits else { return [] }
        let tau = config.tau
        var parts: [Tensor] = []
        for ((name, l), (_, g)) in zip(local.rows, global.rows) {
            guard let labels = targets[name] else { continue }
            let (lossL, lossG) = (GroupLosses.rowLosses(l, labels), GroupLosses.rowLosses(g, labels))
            let globalTeaches = zip(lossL, lossG).map { $0 >= $1 }
            parts.append(GroupLosses.divergence(teacher: g, student: l, labels: labels, tau: tau, rows: globalTeaches))
            parts.append(
                GroupLosses.divergence(
                    teacher: l, student: g, labels: labels, tau: tau, rows: globalTeaches.map { !$0 }))
        }
        return [
            LossTerm(
                name: DistillationDirection.logitTerm, value: GroupLosses.sum(parts) * (tau * tau),
                weight: config.lambdaKD)
        ]
    }
}
