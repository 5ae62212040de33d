import Autograd
import Foundation
import HOIData
import NN

/// The classification loss and the distillation divergence of docs/MODEL.md, label group by label
/// group: binary cross-entropy and per-class Bernoulli KL for a multi-label group,
/// softmax cross-entropy and categorical KL over the labelled rows for a single-label group.
/// A branch's loss is the sum over its groups, in order.
public enum GroupLosses {
    /// BCE over every element (multi-label); mean CE over the labelled rows (single-label).
    /// With label smoothing ε (`--label-smoothing`): BCE against y·(1 - ε) + ε/2, and
    /// (1 - ε)·CE + ε·(the CE against the uniform distribution), as PyTorch's `label_smoothing`;
    /// the uniform part is KL(u ‖ softmax(z)) + ln C, from the categorical KL with a zero teacher.
    public static func classification(_ logits: BranchLogits, _ targets: Targets, smoothing: Float = 0) -> Tensor {
        sum(
            pairs(logits, targets).map { z, labels in
                switch labels {
                case .multiHot(let y):
                    guard smoothing > 0 else { return Losses.binaryCrossEntropy(logits: z, targets: y) }
                    return Losses.binaryCrossEntropy(logits: z, targets: y * (1 - smoothing) + smoothing / 2)
                case .classes(let c):
                    let ce = Losses.crossEntropy(logits: z, labels: c)
                    guard smoothing > 0, c.contains(where: { $0 >= 0 }) else { return ce }
                    let uniform =
                        Losses.categoricalKL(
                            teacher: Tensor.zeros(z.shape), student: z, temperature: 1, valid: c.map { $0 >= 0 })
                        + Foundation.log(Float(z.shape[1]))
                    return ce * (1 - smoothing) + uniform * smoothing
                }
            })
    }

    /// D(teacher → student) without τ²: the mean Bernoulli KL over every element (multi-label),
    /// the mean categorical KL over the labelled rows (single-label). The teacher is detached.
    static func divergence(teacher: BranchLogits, student: BranchLogits, targets: Targets, tau: Float) -> Tensor {
        sum(
            zip(pairs(teacher, targets), student.rows).map { teacherGroup, studentGroup in
                let (t, labels) = teacherGroup
                switch labels {
                case .multiHot: return Losses.bernoulliKL(teacher: t, student: studentGroup.logits, temperature: tau)
                case .classes(let c):
                    return Losses.categoricalKL(
                        teacher: t, student: studentGroup.logits, temperature: tau, valid: c.map { $0 >= 0 })
                }
            })
    }

    /// D(teacher → student) of one group ([rows, classes] logits) over the chosen rows only,
    /// normalised by all its rows (by all labelled rows, single-label): the full divergence when
    /// every row is chosen, and each row counts the same whichever way it is chosen.
    static func divergence(teacher t: Tensor, student s: Tensor, labels: LabelTargets, tau: Float, rows chosen: [Bool])
        -> Tensor
    {
        switch labels {
        case .multiHot:
            let picked = chosen.indices.filter { chosen[$0] }
            guard !picked.isEmpty else { return Tensor(0) }
            let share = Float(picked.count) / Float(max(chosen.count, 1))
            return Losses.bernoulliKL(
                teacher: t.indexSelect(axis: 0, indices: picked), student: s.indexSelect(axis: 0, indices: picked),
                temperature: tau) * share
        case .classes(let c):
            let valid = zip(c, chosen).map { $0 >= 0 && $1 }
            let (picked, labelled) = (valid.filter { $0 }.count, c.filter { $0 >= 0 }.count)
            guard picked > 0 else { return Tensor(0) }
            return Losses.categoricalKL(teacher: t, student: s, temperature: tau, valid: valid)
                * (Float(picked) / Float(labelled))
        }
    }

    /// Each row's classification loss, as a value: the mean BCE over its classes (multi-label),
    /// the CE of its label (single-label; +∞ for an unlabelled row).
    static func rowLosses(_ z: Tensor, _ labels: LabelTargets) -> [Float] {
        let (rows, classes) = (z.shape[0], z.shape[1])
        let v = z.values
        switch labels {
        case .multiHot(let y):
            let t = y.values
            return (0..<rows).map { r in
                var total: Float = 0
                for c in 0..<classes {
                    let (x, target) = (v[r * classes + c], t[r * classes + c])
                    total -= target * Tensor.logSigmoid(x) + (1 - target) * Tensor.logSigmoid(-x)
                }
                return total / Float(max(classes, 1))
            }
        case .classes(let c):
            return (0..<rows).map { r in
                guard c[r] >= 0 else { return .infinity }
                let row = v[(r * classes)..<((r + 1) * classes)]
                let top = row.max() ?? 0
                let logTotal = Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) }) + top
                return logTotal - v[r * classes + c[r]]
            }
        }
    }

    /// Each group's logits as [rows, classes] beside its labels (the model checks a batch's
    /// groups against its own before any loss is taken).
    static func pairs(_ logits: BranchLogits, _ targets: Targets) -> [(Tensor, LabelTargets)] {
        logits.rows.map { group in
            guard let labels = targets[group.name] else {
                preconditionFailure(
                    "the targets have no '\(group.name)' labels (Batch and model were checked against each other)")
            }
            return (group.logits, labels)
        }
    }

    static func sum(_ parts: [Tensor]) -> Tensor {
        parts.dropFirst().reduce(parts.first ?? Tensor(0)) { $0 + $1 }
    }
}
