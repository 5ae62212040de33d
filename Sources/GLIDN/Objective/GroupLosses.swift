import Autograd
import HOIData
import NN

/// The classification loss and the distillation divergence of docs/MODEL.md, label group by label
/// group: binary cross-entropy and per-class Bernoulli KL for a multi-label group,
/// softmax cross-entropy and categorical KL over the labelled rows for a single-label group.
/// A branch's loss is the sum over its groups, in order.
enum GroupLosses {
    /// BCE over every element (multi-label); mean CE over the labelled rows (single-label).
    static func classification(_ logits: BranchLogits, _ targets: Targets) -> Tensor {
        sum(pairs(logits, targets).map { z, labels in
            switch labels {
            case .multiHot(let y): return Losses.binaryCrossEntropy(logits: z, targets: y)
            case .classes(let c): return Losses.crossEntropy(logits: z, labels: c)
            }
        })
    }

    /// D(teacher → student) without τ²: the mean Bernoulli KL over every element (multi-label),
    /// the mean categorical KL over the labelled rows (single-label). The teacher is detached.
    static func divergence(teacher: BranchLogits, student: BranchLogits, targets: Targets, tau: Float) -> Tensor {
        sum(zip(pairs(teacher, targets), student.rows).map { teacherGroup, studentGroup in
            let (t, labels) = teacherGroup
            switch labels {
            case .multiHot: return Losses.bernoulliKL(teacher: t, student: studentGroup.logits, temperature: tau)
            case .classes(let c):
                return Losses.categoricalKL(teacher: t, student: studentGroup.logits, temperature: tau, valid: c.map { $0 >= 0 })
            }
        })
    }

    /// Each group's logits as [rows, classes] beside its labels (the model checks a batch's
    /// groups against its own before any loss is taken).
    static func pairs(_ logits: BranchLogits, _ targets: Targets) -> [(Tensor, LabelTargets)] {
        logits.rows.map { group in
            guard let labels = targets[group.name] else {
                preconditionFailure("the targets have no '\(group.name)' labels (Batch and model were checked against each other)")
            }
            return (group.logits, labels)
        }
    }

    static func sum(_ parts: [Tensor]) -> Tensor {
        parts.dropFirst().reduce(parts.first ?? Tensor(0)) { $0 + $1 }
    }
}
