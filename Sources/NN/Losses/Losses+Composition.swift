import Autograd

/// The losses as plain compositions of basic ops, written as docs/MODEL.md states them: what
/// each fused loss of `Losses` computes. The tests hold the fused losses to these;
/// `GLIDN_KERNELS=plain` runs them instead.
extension Losses {
    enum Composed {
        /// -mean[y · log σ(z) + (1 - y) · log σ(-z)]
        static func binaryCrossEntropy(logits z: Tensor, targets y: Tensor) -> Tensor {
            let y = y.detached()
            return (y * z.logSigmoid() + (1 - y) * (z * -1).logSigmoid()).mean() * -1
        }

        /// -mean over labelled rows r of log softmax(z_r)[y_r]; 0 without a labelled row.
        static func crossEntropy(logits z: Tensor, labels: [Int]) -> Tensor {
            let rows = labels.indices.filter { labels[$0] >= 0 }
            guard !rows.isEmpty else { return Tensor(0) }
            let classes = z.shape[1]
            let picked = Tensor(shape: [rows.count, classes]) { onehot in
                onehot.initialize(repeating: 0)
                for (k, r) in rows.enumerated() { onehot[k * classes + labels[r]] = 1 }
            }
            return (z.indexSelect(axis: 0, indices: rows).logSoftmax(axis: -1) * picked).sum()
                * (-1 / Float(rows.count))
        }

        /// mean over elements of KL(Bernoulli(σ(t/τ)) ‖ Bernoulli(σ(s/τ))), the teacher detached.
        static func bernoulliKL(teacher: Tensor, student: Tensor, temperature tau: Float) -> Tensor {
            let t = teacher.detached() * (1 / tau)
            let s = student * (1 / tau)
            let pt = t.sigmoid()
            return (pt * (t.logSigmoid() - s.logSigmoid()) + (1 - pt) * ((t * -1).logSigmoid() - (s * -1).logSigmoid()))
                .mean()
        }

        /// mean over valid rows of KL(softmax(t/τ) ‖ softmax(s/τ)), the teacher detached; 0 without one.
        static func categoricalKL(teacher: Tensor, student: Tensor, temperature tau: Float, valid: [Bool]) -> Tensor {
            let rows = valid.indices.filter { valid[$0] }
            guard !rows.isEmpty else { return Tensor(0) }
            let lt = (teacher.detached().indexSelect(axis: 0, indices: rows) * (1 / tau)).logSoftmax(axis: -1)
            let ls = (student.indexSelect(axis: 0, indices: rows) * (1 / tau)).logSoftmax(axis: -1)
            return (lt.exp() * (lt - ls)).sum() * (1 / Float(rows.count))
        }

        /// Σ_r mask_r · (1 - cos(s_r, sg(t_r))) / max(Σ mask, 1), norms clamped at `eps`.
        static func cosineDistance(student: Tensor, teacher: Tensor, mask: Tensor, eps: Float) -> Tensor {
            let m = mask.detached()
            let cosine = Tensor.cosineSimilarity(student, teacher.detached(), axis: -1, eps: eps)
            return ((1 - cosine) * m).sum() * (1 / Swift.max(m.values.reduce(0, +), 1))
        }
    }
}
