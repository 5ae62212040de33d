import Autograd
import HOIData

/// `relational`: the global graph's relations guide the local graphs' attention, and the
/// global branch's logits teach the local branch's. For each clip and each visible entity i,
/// the teacher is the global graph's attention of i over the other entities (last layer, the
/// mean over heads, detached), kept to the entities that are ever visible together with i and
/// renormalised; the student is the local graphs' attention of i (last layer, the mean over
/// heads, differentiable), averaged over the frames where i is visible. The term is the mean
/// over such entities of KL(teacher ‖ student + 10⁻⁶), weight λ_feat, beside τ² · D(G → L),
/// weight λ_kd. Clips of one segment only (temporal context `clip`): across a video the global
/// graph's nodes are (segment, entity) pairs, which no frame's attention matches.
public struct RelationalDistillation: DistillationScheme {
    public static let name = "relational"
    public static let summary =
        "global teaches local: KL(global ‖ local) of the logits, and the global attention guides the local attention"
    public static let relationTerm = "distill_relations"
    public static let termNames = [DistillationDirection.logitTerm, relationTerm]

    public init(config: ModelConfig, generator: inout SeededGenerator) {}

    public func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress)
        -> [LossTerm]
    {
        guard let local = output.localLogits, let global = output.globalLogits else { return [] }
        let tau = config.tau
        let logits = LossTerm(
            name: DistillationDirection.logitTerm,
            value: GroupLosses.divergence(teacher: global, student: local, targets: targets, tau: tau) * (tau * tau),
            weight: config.lambdaKD)
        guard config.temporalContext == .clip, let teacher = output.globalAttention.last,
            let student = output.differentiableLocalAttention?()
        else {
            return [logits, LossTerm(name: Self.relationTerm, value: Tensor(0), weight: config.lambdaFeat)]
        }
        return [
            logits,
            LossTerm(
                name: Self.relationTerm,
                value: Self.relationDivergence(teacher: teacher, student: student, output: output),
                weight: config.lambdaFeat),
        ]
    }

    /// teacher α_G [B, N, N, H] (plain values), student α_L [B·T, N, N, H] (differentiable).
    static func relationDivergence(teacher: Tensor, student: Tensor, output: ModelOutput) -> Tensor {
        let (b, n, h) = (teacher.shape[0], teacher.shape[1], teacher.shape[3])
        let t = student.shape[0] / b
        // The frames where each receiver is visible, as averaging weights [B, T, N, 1].
        let visible = output.visibility.values  // [B·T·N]
        var weights = [Float](repeating: 0, count: b * t * n)
        for clip in 0..<b {
            for i in 0..<n {
                let count = (0..<t).reduce(Float(0)) { $0 + visible[(clip * t + $1) * n + i] }
                guard count > 0 else { continue }
                for f in 0..<t { weights[(clip * t + f) * n + i] = visible[(clip * t + f) * n + i] / count }
            }
        }
        let perFrame = student.sum(axis: -1) * (1 / Float(h))  // [B·T, N, N]
        // [B, N, N]
        let averaged = (perFrame.reshaped([b, t, n, n]) * Tensor(shape: [b, t, n, 1], values: weights)).sum(axis: 1)
        // The teacher over the senders ever visible together with i, renormalised.
        let together = output.globalEdges.values  // [B, N, N, E]: slot `cooccurrenceSlot` > 0 when ever together
        let (edgeWidth, slot) = (output.globalEdges.shape[3], GraphInputs.cooccurrenceSlot)
        let visibleEntity = output.entityMask.values
        let (target, rows) = RowDistributions.targets(
            attention: teacher, source: { clip, i in visibleEntity[clip * n + i] != 0 ? i : nil },
            allowed: { clip, i, j in together[((clip * n + i) * n + j) * edgeWidth + slot] > 0 })
        guard rows > 0 else { return Tensor(0) }
        return RowDistributions.divergence(target: target, student: averaged, rows: rows)
    }
}
