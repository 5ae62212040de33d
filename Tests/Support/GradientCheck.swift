import Autograd
import NN

/// Compares the tape's gradients with central finite differences.
///
/// The checked function's output is reduced to L = Σ w ⊙ f(x) with fixed random
/// weights w (so every output element matters with a different weight); L is summed
/// in double precision, and the step actually taken is measured in double after
/// float32 rounding, which keeps the numerical derivative accurate with float32 ops.
/// Both the function's inputs and the parameters of the modules it uses are checked.
public enum GradientCheck {
    public struct Failure: CustomStringConvertible {
        public let what: String
        public let element: Int
        public let analytic: Double
        public let numeric: Double
        public var description: String {
            "\(what)[\(element)]: tape \(analytic), finite differences \(numeric)"
        }
    }

    /// Returns the elements whose gradients disagree (empty when all agree).
    public static func failures(
        _ inputs: [Tensor], parameters: [(name: String, parameter: Parameter)] = [],
        step: Float = 1e-2, atol: Double = 1e-3, rtol: Double = 1e-2,
        seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
    ) -> [Failure] {
        let leaves = inputs.map { $0.requiringGrad() }
        for (_, p) in parameters { p.zeroGrad() }
        let out = f(leaves)
        var generator = SeededGenerator(seed: seed)
        let weights = Tensor.randomNormal(out.shape, generator: &generator)
        (out * weights).sum().backward()

        func loss(_ xs: [Tensor]) -> Double {
            let y = withoutGradients { f(xs) }
            precondition(y.shape == weights.shape, "checked function changed its output shape")
            return zip(y.values, weights.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        var result: [Failure] = []
        func compare(_ what: String, _ j: Int, analytic: Float, lo: Float, hi: Float, lp: Double, lm: Double) {
            let numeric = (lp - lm) / (Double(hi) - Double(lo))
            let got = Double(analytic)
            if abs(numeric - got) > atol + rtol * max(abs(numeric), abs(got)) {
                result.append(Failure(what: what, element: j, analytic: got, numeric: numeric))
            }
        }
        for (i, x) in inputs.enumerated() {
            let analytic = (leaves[i].grad ?? Tensor.zeros(x.shape)).values
            for j in 0..<x.count {
                let v = x.values[j]
                let (hi, lo) = (v + step, v - step)
                var xs = inputs
                xs[i].withUnsafeMutableBufferPointer { $0[j] = hi }
                let lp = loss(xs)
                xs[i].withUnsafeMutableBufferPointer { $0[j] = lo }
                let lm = loss(xs)
                compare("input \(i)", j, analytic: analytic[j], lo: lo, hi: hi, lp: lp, lm: lm)
            }
        }
        for (name, p) in parameters {
            let analytic = (p.grad ?? Tensor.zeros(p.shape)).values
            for j in 0..<p.value.count {
                let v = p.value.values[j]
                let (hi, lo) = (v + step, v - step)
                p.update { $0[j] = hi }
                let lp = loss(inputs)
                p.update { $0[j] = lo }
                let lm = loss(inputs)
                p.update { $0[j] = v }
                compare(name, j, analytic: analytic[j], lo: lo, hi: hi, lp: lp, lm: lm)
            }
        }
        return result
    }
}

extension Tensor {
    /// Random normal values pushed at least `margin` away from zero, for ops with a kink there.
    public static func awayFromZero(_ shape: [Int], margin: Float = 0.1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randomNormal(shape, generator: &g).map { $0 >= 0 ? $0 + margin : $0 - margin }
    }

    /// Random normal values from a fixed seed.
    public static func seeded(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randomNormal(shape, std: std, generator: &g)
    }

    /// The largest absolute difference to another tensor of the same shape.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes \(shape) and \(other.shape)")
        return zip(values, other.values).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }
}
