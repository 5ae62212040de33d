import Autograd
import HOIData
import NN

/// The loss terms of MODEL.md for one batch.
public struct LossTerms {
    public let classificationLocal: Tensor
    public let classificationGlobal: Tensor
    /// τ² · (the configured KL terms between the branches' logits).
    public let distillLogits: Tensor
    /// Σ (1 - cos) between each entity's local summary and its global node.
    public let distillFeatures: Tensor
    /// cls_L + cls_G + λ_kd · distill_logits + λ_feat · distill_features
    public let total: Tensor

    /// The scalar values by the names the reference files use.
    public var values: [String: Float] {
        ["cls_local": classificationLocal.scalar, "cls_global": classificationGlobal.scalar,
         "distill_logits": distillLogits.scalar, "distill_features": distillFeatures.scalar, "total": total.scalar]
    }
}

/// Classification on both branches plus logit and feature distillation, the teacher
/// side always detached.
public enum Objective {
    public static func losses(_ output: ModelOutput, targets: Targets, config: ModelConfig) -> LossTerms {
        let zero = Tensor(0)
        let local = output.localLogits.map { classification($0, targets) } ?? zero
        let global = output.globalLogits.map { classification($0, targets) } ?? zero
        let mode = config.effectiveDistillation
        var logitTerm = zero
        var featureTerm = zero
        if mode != .none, let l = output.localLogits, let g = output.globalLogits, let lbar = output.lbar, let hG = output.hG {
            var kd = zero
            if mode.globalTeachesLocal { kd = kd + divergence(teacher: g, student: l, targets: targets, tau: config.tau) }
            if mode.localTeachesGlobal { kd = kd + divergence(teacher: l, student: g, targets: targets, tau: config.tau) }
            logitTerm = kd * (config.tau * config.tau)
            if mode.globalTeachesLocal { featureTerm = featureTerm + featureDistance(student: lbar, teacher: hG, mask: output.entityMask) }
            if mode.localTeachesGlobal { featureTerm = featureTerm + featureDistance(student: hG, teacher: lbar, mask: output.entityMask) }
        }
        let total = local + global + logitTerm * config.lambdaKD + featureTerm * config.lambdaFeat
        return LossTerms(classificationLocal: local, classificationGlobal: global,
                         distillLogits: logitTerm, distillFeatures: featureTerm, total: total)
    }

    /// BCE over B·C (video); sub-activity CE over human-labelled entities plus
    /// affordance CE over object-labelled entities (entity).
    static func classification(_ logits: BranchLogits, _ targets: Targets) -> Tensor {
        switch (logits, targets) {
        case (.video(let z), .video(let y)):
            return Losses.binaryCrossEntropy(logits: z, targets: y)
        case (.entity(let s, let a), .entity(let human, let object)):
            return Losses.crossEntropy(logits: s.reshaped([-1, s.shape[2]]), labels: human)
                + Losses.crossEntropy(logits: a.reshaped([-1, a.shape[2]]), labels: object)
        default:
            fatalError("Objective: logits and targets belong to different tasks")
        }
    }

    /// D(teacher → student), the mean KL of MODEL.md (without τ²).
    static func divergence(teacher: BranchLogits, student: BranchLogits, targets: Targets, tau: Float) -> Tensor {
        switch (teacher, student, targets) {
        case (.video(let t), .video(let s), _):
            return Losses.bernoulliKL(teacher: t, student: s, temperature: tau)
        case (.entity(let ts, let ta), .entity(let ss, let sa), .entity(let human, let object)):
            return Losses.categoricalKL(teacher: ts.reshaped([-1, ts.shape[2]]), student: ss.reshaped([-1, ss.shape[2]]),
                                        temperature: tau, valid: human.map { $0 >= 0 })
                + Losses.categoricalKL(teacher: ta.reshaped([-1, ta.shape[2]]), student: sa.reshaped([-1, sa.shape[2]]),
                                       temperature: tau, valid: object.map { $0 >= 0 })
        default:
            fatalError("Objective: logits and targets belong to different tasks")
        }
    }

    /// Mean over existing entities of 1 - cos(student_n, sg(teacher_n)).
    static func featureDistance(student: Tensor, teacher: Tensor, mask: Tensor) -> Tensor {
        Losses.cosineDistance(student: student, teacher: teacher, mask: mask, eps: 1e-8)
    }
}
