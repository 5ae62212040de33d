import Autograd
import Foundation
import HOIData
import NN

/// `--teacher-distill relations`: besides the logits, the teacher's global graph tells the
/// student's which nodes matter to each node. For each student node r = (s, i) with a paired teacher
/// node r' = (s + shift, i), the target is the teacher's last-layer attention of r' (the mean over
/// heads) over the senders the student's r may hear (its causal adjacency: segments ≤ s),
/// renormalised; the student's is its own last-layer attention of r (the mean over heads,
/// differentiable). The term is the mean over such nodes of KL(target ‖ student + 10⁻⁶), weight
/// `--teacher-feature-weight`. Both models need a global graph over the same nodes.
public struct TeacherRelationDistillation: TeacherScheme {
    public static let name = "relations"
    public static let summary =
        "the logits, and the teacher's global attention guides the student's over the nodes it may hear"
    public static let relationTerm = "teacher_relations"
    public static let termNames = [TeacherLogitTerm.name, relationTerm]

    public init(student: ModelConfig, teacher: ModelConfig, generator: inout SeededGenerator) throws(ConfigError) {
        for (role, config) in [("student", student), ("teacher", teacher)]
        where !config.variant.uses(.global) || config.globalLayers == 0 {
            throw ConfigError(
                source: "--teacher-distill relations",
                problem:
                    "it transfers the global graph's attention: the \(role) has no global graph layers (variant \(config.variant.rawValue), \(config.globalLayers) global layers)"
            )
        }
    }

    public func terms(_ student: ModelOutput, teacher: TeacherSignal, targets: Targets, weights: TeacherWeights)
        -> [LossTerm]
    {
        let logits = TeacherLogitTerm.term(student, teacher: teacher, targets: targets, weights: weights)
        guard let alpha = teacher.attention, let adjacency = student.globalAdjacency,
            let attention = student.differentiableGlobalAttention?()
        else {
            return [logits, LossTerm(name: Self.relationTerm, value: Tensor(0), weight: weights.features)]
        }
        return [
            logits,
            LossTerm(
                name: Self.relationTerm,
                value: Self.divergence(teacher: alpha, signal: teacher, adjacency: adjacency, student: attention),
                weight: weights.features),
        ]
    }

    /// teacher α [B, M, M, H] (plain), the student's adjacency [B, M, M] and attention [B, M, M, H].
    static func divergence(teacher alpha: Tensor, signal: TeacherSignal, adjacency: Tensor, student: Tensor) -> Tensor {
        let (m, h) = (student.shape[1], student.shape[3])
        let heard = adjacency.values
        let (target, rows) = RowDistributions.targets(
            attention: alpha, source: { clip, r in signal.teacherNode(of: r, clip: clip) },
            allowed: { clip, r, j in heard[(clip * m + r) * m + j] != 0 })
        guard rows > 0 else { return Tensor(0) }
        let q = student.sum(axis: -1) * (1 / Float(h))  // [B, M, M]
        return RowDistributions.divergence(target: target, student: q, rows: rows)
    }
}
