import Autograd
import HOIData
import NN

/// `projected`: one graph teaches the other, its features through a learned projection
/// (FitNets, Romero et al. 2015) instead of the raw cosine: the student's per-entity state,
/// mapped by a linear layer P (`distill.projection`, D → D), regresses onto the teacher's: the
/// mean over existing entities of ‖P(s_n) - sg(t_n)‖² / D, weight λ_feat; plus the logits'
/// τ² · D(teacher → student), weight λ_kd. By default (`direction` 0) the global graph teaches
/// (s = l̄, t = hG); with `direction` 1 the local graphs teach (s = hG, t = l̄). P is trained
/// with the rest and used only by this loss: the student may hold what the teacher knows in
/// its own basis.
public struct ProjectedDistillation: DistillationScheme {
    public static let name = "projected"
    public static let summary =
        "global teaches local: KL(global ‖ local) and ‖P(l̄) - sg(hG)‖² through a learned projection P"
    public static let termNames = [DistillationDirection.logitTerm, DistillationDirection.featureTerm]
    public static let parameters = [
        SchemeParameter(
            "direction", default: 0,
            "0: the global graph teaches the local graphs; 1: the local graphs teach the global graph")
    ]

    /// The learned projection, saved as `distill.projection.weight` and `.bias`.
    public final class Parts: Module {
        public let projection: Linear

        init(dimension: Int, generator: inout SeededGenerator) {
            projection = Linear(inFeatures: dimension, outFeatures: dimension, generator: &generator)
        }

        public var children: [(name: String, child: ModuleChild)] { [("projection", .module(projection))] }
    }

    let parts: Parts

    public init(config: ModelConfig, generator: inout SeededGenerator) {
        parts = Parts(dimension: config.hidden, generator: &generator)
    }

    public var module: (any Module)? { parts }

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        guard let local = output.localLogits, let global = output.globalLogits,
            let summary = output.localSummary, let globalStates = output.globalStates
        else { return [] }
        let tau = config.tau
        let localTeaches = config.distillParameter("direction") == 1
        let (teacher, student) = localTeaches ? (local, global) : (global, local)
        let logits =
            GroupLosses.divergence(teacher: teacher, student: student, targets: targets, tau: tau) * (tau * tau)
        let mask = output.entityMask
        let (studentStates, teacherStates) = localTeaches ? (globalStates, summary) : (summary, globalStates)
        let difference = parts.projection(studentStates) - teacherStates.detached()
        let d = Float(summary.shape.last ?? 1)
        let distance =
            ((difference * difference).sum(axis: -1) * mask).sum() * (1 / (max(mask.values.reduce(0, +), 1) * d))
        return [
            LossTerm(name: DistillationDirection.logitTerm, value: logits, weight: config.lambdaKD),
            LossTerm(name: DistillationDirection.featureTerm, value: distance, weight: config.lambdaFeat),
        ]
    }
}
