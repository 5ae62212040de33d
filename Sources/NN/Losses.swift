import Autograd

/// Classification losses and the distillation divergences of MODEL.md.
public enum Losses {
    /// Binary cross-entropy with logits, averaged over every element:
    /// -[y·logσ(z) + (1-y)·logσ(-z)].
    public static func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
        require(logits.shape == targets.shape,
                     "binaryCrossEntropy: logits \(Shape.describe(logits.shape)) and targets \(Shape.describe(targets.shape))")
        return -(targets * logits.logSigmoid() + (1 - targets) * (-logits).logSigmoid()).mean()
    }

    /// Softmax cross-entropy of logits [R, C] against one label per row, averaged over the
    /// rows whose label is not negative (negative = no label). Zero when no row has one.
    public static func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
        let classes = checkedClasses(logits, labels: labels, op: "crossEntropy")
        let picks = labels.enumerated().compactMap { r, y in y >= 0 ? r * classes + y : nil }
        guard !picks.isEmpty else { return Tensor(0) }
        return -logits.logSoftmax(axis: -1).reshaped([-1]).indexSelect(axis: 0, indices: picks).mean()
    }

    /// Mean over rows of KL(P_t ‖ P_s) between per-class Bernoullis p = σ(z/τ), averaged
    /// over every element; the teacher is detached.
    public static func bernoulliKL(teacher: Tensor, student: Tensor, temperature tau: Float) -> Tensor {
        require(teacher.shape == student.shape,
                     "bernoulliKL: teacher \(Shape.describe(teacher.shape)) and student \(Shape.describe(student.shape))")
        let t = teacher.detached() / tau
        let s = student / tau
        let pt = t.sigmoid()
        let positive = pt * (t.logSigmoid() - s.logSigmoid())
        let negative = (1 - pt) * ((-t).logSigmoid() - (-s).logSigmoid())
        return (positive + negative).mean()
    }

    /// KL(softmax(z_t/τ) ‖ softmax(z_s/τ)) of logits [R, C], averaged over the rows where
    /// `valid` is true; the teacher is detached. Zero when no row is valid.
    public static func categoricalKL(teacher: Tensor, student: Tensor, temperature tau: Float, valid: [Bool]) -> Tensor {
        require(teacher.shape == student.shape && teacher.rank == 2 && valid.count == teacher.shape[0],
                     "categoricalKL: teacher \(Shape.describe(teacher.shape)), student \(Shape.describe(student.shape)), \(valid.count) row flags")
        let rows = valid.enumerated().compactMap { $1 ? $0 : nil }
        guard !rows.isEmpty else { return Tensor(0) }
        let lt = (teacher.detached() / tau).logSoftmax(axis: -1).indexSelect(axis: 0, indices: rows)
        let ls = (student / tau).logSoftmax(axis: -1).indexSelect(axis: 0, indices: rows)
        return (lt.exp() * (lt - ls)).sum(axis: -1).mean()
    }

    private static func checkedClasses(_ logits: Tensor, labels: [Int], op: String) -> Int {
        require(logits.rank == 2 && logits.shape[0] == labels.count,
                     "\(op): logits \(Shape.describe(logits.shape)) for \(labels.count) labels")
        let classes = logits.shape[1]
        if let bad = labels.first(where: { $0 >= classes }) {
            fatalError("\(op): label \(bad) is out of range for \(classes) classes")
        }
        return classes
    }
}
