import Autograd
import Foundation

/// Classification losses and the distillation divergences of docs/MODEL.md, each one op on the
/// tape: forward in one pass over the logits, keeping what its gradient needs. (Spelled
/// as compositions they take a dozen small ops each, whose bookkeeping costs more than
/// their arithmetic at these sizes.) `Losses+Composition` spells each as those plain ops; the
/// tests hold the fused losses to them, to hand computations and to finite differences.
public enum Losses {
    /// Binary cross-entropy with logits, averaged over every element:
    /// -[y·logσ(z) + (1-y)·logσ(-z)]. Gradient (σ(z) - y) / count.
    public static func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
        require(
            logits.shape == targets.shape,
            "binaryCrossEntropy: logits \(Shape.describe(logits.shape)) and targets \(Shape.describe(targets.shape))")
        if KernelMode.usesPlainOps { return Composed.binaryCrossEntropy(logits: logits, targets: targets) }
        let (z, y) = (logits.values, targets.values)
        var total: Float = 0
        for i in z.indices { total += y[i] * Tensor.logSigmoid(z[i]) + (1 - y[i]) * Tensor.logSigmoid(-z[i]) }
        let (scale, shape) = (1 / Float(Swift.max(z.count, 1)), logits.shape)
        return Tensor.record(Tensor(-total * scale), inputs: [logits]) { g in
            let s = g.scalar * scale
            return [Tensor(shape: shape, values: z.indices.map { s * (Tensor.sigmoid(z[$0]) - y[$0]) })]
        }
    }

    /// Softmax cross-entropy of logits [R, C] against one label per row, averaged over the
    /// rows whose label is not negative (negative = no label). Zero when no row has one.
    /// Gradient (softmax(z) - onehot(y)) / labelled rows, on those rows.
    public static func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
        let classes = checkedClasses(logits, labels: labels, op: "crossEntropy")
        if KernelMode.usesPlainOps { return Composed.crossEntropy(logits: logits, labels: labels) }
        let labelled = labels.indices.filter { labels[$0] >= 0 }
        guard !labelled.isEmpty else { return Tensor(0) }
        var softmax = [Float](repeating: 0, count: labelled.count * classes)
        var total: Float = 0
        var logProbabilities = [Float](repeating: 0, count: classes)
        logits.withUnsafeBufferPointer { z in
            softmax.withUnsafeMutableBufferPointer { p in
                for (k, r) in labelled.enumerated() {
                    softmaxRow(
                        z.baseAddress! + r * classes, scale: 1, logs: &logProbabilities,
                        probabilities: p.baseAddress! + k * classes)
                    total -= logProbabilities[labels[r]]
                }
            }
        }
        let (scale, shape) = (1 / Float(labelled.count), logits.shape)
        return Tensor.record(Tensor(total * scale), inputs: [logits]) { g in
            let s = g.scalar * scale
            var dz = [Float](repeating: 0, count: shape[0] * classes)
            for (k, r) in labelled.enumerated() {
                for c in 0..<classes { dz[r * classes + c] = s * softmax[k * classes + c] }
                dz[r * classes + labels[r]] -= s
            }
            return [Tensor(shape: shape, values: dz)]
        }
    }

    /// Mean over rows of KL(P_t ‖ P_s) between per-class Bernoullis p = σ(z/τ), averaged
    /// over every element; the teacher is detached. Gradient (σ(s/τ) - σ(t/τ)) / (τ · count).
    public static func bernoulliKL(teacher: Tensor, student: Tensor, temperature tau: Float) -> Tensor {
        require(
            teacher.shape == student.shape,
            "bernoulliKL: teacher \(Shape.describe(teacher.shape)) and student \(Shape.describe(student.shape))")
        if KernelMode.usesPlainOps { return Composed.bernoulliKL(teacher: teacher, student: student, temperature: tau) }
        let inverse = 1 / tau
        let (t, s) = (teacher.values.map { $0 * inverse }, student.values.map { $0 * inverse })
        var total: Float = 0
        for i in t.indices {
            let pt = Tensor.sigmoid(t[i])
            total +=
                pt * (Tensor.logSigmoid(t[i]) - Tensor.logSigmoid(s[i]))
                + (1 - pt) * (Tensor.logSigmoid(-t[i]) - Tensor.logSigmoid(-s[i]))
        }
        let (scale, shape) = (1 / Float(Swift.max(t.count, 1)), student.shape)
        return Tensor.record(Tensor(total * scale), inputs: [student]) { g in
            let k = g.scalar * scale * inverse
            return [Tensor(shape: shape, values: t.indices.map { k * (Tensor.sigmoid(s[$0]) - Tensor.sigmoid(t[$0])) })]
        }
    }

    /// KL(softmax(z_t/τ) ‖ softmax(z_s/τ)) of logits [R, C], averaged over the rows where
    /// `valid` is true; the teacher is detached. Zero when no row is valid.
    /// Gradient (softmax(z_s/τ) - softmax(z_t/τ)) / (τ · valid rows), on those rows.
    public static func categoricalKL(teacher: Tensor, student: Tensor, temperature tau: Float, valid: [Bool]) -> Tensor
    {
        require(
            teacher.shape == student.shape && teacher.rank == 2 && valid.count == teacher.shape[0],
            "categoricalKL: teacher \(Shape.describe(teacher.shape)), student \(Shape.describe(student.shape)), \(valid.count) row flags"
        )
        if KernelMode.usesPlainOps {
            return Composed.categoricalKL(teacher: teacher, student: student, temperature: tau, valid: valid)
        }
        let rows = valid.indices.filter { valid[$0] }
        guard !rows.isEmpty else { return Tensor(0) }
        let classes = teacher.shape[1]
        let inverse = 1 / tau
        // softmax(z_s/τ) - softmax(z_t/τ) per valid row, for the gradient.
        var difference = [Float](repeating: 0, count: rows.count * classes)
        var total: Float = 0
        var (lt, ls) = ([Float](repeating: 0, count: classes), [Float](repeating: 0, count: classes))
        var (pt, ps) = ([Float](repeating: 0, count: classes), [Float](repeating: 0, count: classes))
        teacher.withUnsafeBufferPointer { t in
            student.withUnsafeBufferPointer { s in
                pt.withUnsafeMutableBufferPointer { ptv in
                    ps.withUnsafeMutableBufferPointer { psv in
                        for (k, r) in rows.enumerated() {
                            softmaxRow(
                                t.baseAddress! + r * classes, scale: inverse, logs: &lt, probabilities: ptv.baseAddress!
                            )
                            softmaxRow(
                                s.baseAddress! + r * classes, scale: inverse, logs: &ls, probabilities: psv.baseAddress!
                            )
                            var kl: Float = 0
                            for c in 0..<classes {
                                kl += ptv[c] * (lt[c] - ls[c])
                                difference[k * classes + c] = psv[c] - ptv[c]
                            }
                            total += kl
                        }
                    }
                }
            }
        }
        let (scale, shape) = (1 / Float(rows.count), student.shape)
        return Tensor.record(Tensor(total * scale), inputs: [student]) { g in
            let k = g.scalar * scale * inverse
            var dz = [Float](repeating: 0, count: shape[0] * classes)
            for (j, r) in rows.enumerated() {
                for c in 0..<classes { dz[r * classes + c] = k * difference[j * classes + c] }
            }
            return [Tensor(shape: shape, values: dz)]
        }
    }

    /// Σ_r mask_r · (1 - cos(s_r, sg(t_r))) / max(Σ mask, 1) over the rows of [..., D]
    /// (the last axis is the vector; `mask` has the rows' shape), each norm clamped at `eps`
    /// as PyTorch's `cosine_similarity`; the teacher is detached.
    /// Gradient per masked row: -(û - cos · ŝ) / ‖s‖ / count, with ŝ, û the unit vectors
    /// (-û / eps / count where ‖s‖ is clamped).
    public static func cosineDistance(student: Tensor, teacher: Tensor, mask: Tensor, eps: Float = 1e-8) -> Tensor {
        require(
            student.shape == teacher.shape && student.rank >= 1 && mask.shape == Array(student.shape.dropLast()),
            "cosineDistance: student \(Shape.describe(student.shape)), teacher \(Shape.describe(teacher.shape)), mask \(Shape.describe(mask.shape))"
        )
        if KernelMode.usesPlainOps {
            return Composed.cosineDistance(student: student, teacher: teacher, mask: mask, eps: eps)
        }
        let d = student.shape.last!
        let (rows, m) = (mask.count, mask.values)
        let count = Swift.max(m.reduce(0, +), 1)
        // Per row: both clamped norms and the cosine, for the gradient.
        var norms = [Float](repeating: 0, count: 2 * rows)
        var cosines = [Float](repeating: 0, count: rows)
        var total: Float = 0
        student.withUnsafeBufferPointer { x in
            teacher.withUnsafeBufferPointer { y in
                for r in 0..<rows {
                    let (a, b) = (x.baseAddress! + r * d, y.baseAddress! + r * d)
                    let na = Swift.max(VectorMath.dot(a, a, d).squareRoot(), eps)
                    let nb = Swift.max(VectorMath.dot(b, b, d).squareRoot(), eps)
                    let cosine = VectorMath.dot(a, b, d) / (na * nb)
                    (norms[2 * r], norms[2 * r + 1], cosines[r]) = (na, nb, cosine)
                    total += (1 - cosine) * m[r]
                }
            }
        }
        let (x, y, shape) = (student.detached(), teacher.detached(), student.shape)
        return Tensor.record(Tensor(total / count), inputs: [student]) { g in
            let k = g.scalar / count
            return [
                Tensor(shape: shape) { dx in
                    dx.initialize(repeating: 0)
                    x.withUnsafeBufferPointer { xv in
                        y.withUnsafeBufferPointer { yv in
                            for r in 0..<rows where m[r] != 0 {
                                let (na, nb) = (norms[2 * r], norms[2 * r + 1])
                                // -(û - cos·ŝ)/‖s‖ = -b/(na·nb) + cos·a/na² (no centring where ‖s‖ is clamped).
                                let out = dx.baseAddress! + r * d
                                VectorMath.axpy(-k * m[r] / (na * nb), yv.baseAddress! + r * d, out, d)
                                if na > eps {
                                    VectorMath.axpy(k * m[r] * cosines[r] / (na * na), xv.baseAddress! + r * d, out, d)
                                }
                            }
                        }
                    }
                }
            ]
        }
    }

    /// log softmax(x · scale) of the logs.count values at x into `logs`, and softmax into
    /// `probabilities` (logs.count of them): one exp per value, one log per row.
    static func softmaxRow(
        _ x: UnsafePointer<Float>, scale: Float, logs: inout [Float], probabilities: UnsafeMutablePointer<Float>
    ) {
        let count = logs.count
        logs.withUnsafeMutableBufferPointer { buffer in
            let l = buffer.baseAddress!
            var top = -Float.infinity
            for c in 0..<count {
                l[c] = x[c] * scale
                top = Swift.max(top, l[c])
            }
            var total: Float = 0
            for c in 0..<count {
                l[c] -= top
                probabilities[c] = FastMath.exp(l[c])
                total += probabilities[c]
            }
            let (logTotal, inverse) = (Foundation.log(total), 1 / total)
            for c in 0..<count {
                l[c] -= logTotal
                probabilities[c] *= inverse
            }
        }
    }

    private static func checkedClasses(_ logits: Tensor, labels: [Int], op: String) -> Int {
        require(
            logits.rank == 2 && logits.shape[0] == labels.count,
            "\(op): logits \(Shape.describe(logits.shape)) for \(labels.count) labels")
        let classes = logits.shape[1]
        if let bad = labels.first(where: { $0 >= classes }) {
            fatalError("\(op): label \(bad) is out of range for \(classes) classes")
        }
        return classes
    }
}
