import Autograd
import HOIData
import NN

/// Logit and feature distillation along one direction of docs/MODEL.md: the teacher branch's
/// softened predictions teach the student's (τ² · KL, weight λ_kd), and each entity's
/// teacher-side state pulls its student-side counterpart (1 - cos, weight λ_feat): the
/// local summary l̄_n and the global node hG_n are counterparts. The teacher is always
/// detached. The fixed schemes (`mutual`, `global-to-local`, `local-to-global`) add these up.
enum DistillationDirection {
    case globalToLocal
    case localToGlobal

    static let logitTerm = "distill_logits"
    static let featureTerm = "distill_features"

    /// τ² · Σ_directions D(teacher → student), then Σ_directions mean (1 - cos), as the two
    /// weighted terms `distill_logits` and `distill_features`.
    static func terms(
        _ directions: [DistillationDirection], _ output: ModelOutput, targets: Targets,
        config: ModelConfig
    ) -> [LossTerm] {
        guard let local = output.localLogits, let global = output.globalLogits,
            let summary = output.localSummary, let globalStates = output.globalStates
        else { return [] }
        let tau = config.tau
        let divergences = directions.map { direction -> Tensor in
            switch direction {
            case .globalToLocal:
                return GroupLosses.divergence(teacher: global, student: local, targets: targets, tau: tau)
            case .localToGlobal:
                return GroupLosses.divergence(teacher: local, student: global, targets: targets, tau: tau)
            }
        }
        let logits = LossTerm(
            name: logitTerm, value: GroupLosses.sum(divergences) * (tau * tau), weight: config.lambdaKD)
        let distances = directions.map { direction -> Tensor in
            switch direction {
            case .globalToLocal:
                return featureDistance(student: summary, teacher: globalStates, mask: output.entityMask)
            case .localToGlobal:
                return featureDistance(student: globalStates, teacher: summary, mask: output.entityMask)
            }
        }
        return [logits, LossTerm(name: featureTerm, value: GroupLosses.sum(distances), weight: config.lambdaFeat)]
    }

    /// Mean over existing entities of 1 - cos(student_n, sg(teacher_n)).
    static func featureDistance(student: Tensor, teacher: Tensor, mask: Tensor) -> Tensor {
        Losses.cosineDistance(student: student, teacher: teacher, mask: mask, eps: 1e-8)
    }
}
