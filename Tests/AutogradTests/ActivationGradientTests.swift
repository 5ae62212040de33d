import Autograd
import Foundation
import TestSupport
import Testing

@Suite("Gradients and values of pointwise functions")
struct ActivationGradientTests {
    static let kinked: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("relu", { $0.relu() }),
        ("elu", { $0.elu() }),
        ("leakyRelu", { $0.leakyRelu(slope: 0.2) }),
        ("clamped", { $0.clamped(min: -0.55, max: 0.45) }),
    ]
    static let smooth: [(String, @Sendable (Tensor) -> Tensor)] = [
        ("sigmoid", { $0.sigmoid() }),
        ("logSigmoid", { $0.logSigmoid() }),
        ("exp", { $0.exp() }),
        ("square", { $0.square() }),
    ]

    @Test("functions with a kink at a point, away from it", arguments: 0..<4)
    func kinks(index: Int) {
        let (name, fn) = Self.kinked[index]
        // Margin 0.1 keeps every input farther from the kinks than the step.
        let x = Tensor.awayFromZero([3, 4], seed: 20 + UInt64(index))
        let f = GradientCheck.failures([x]) { fn($0[0]) }
        #expect(f.isEmpty, "\(name): \(f)")
    }

    @Test("smooth functions", arguments: 0..<4)
    func smoothFunctions(index: Int) {
        let (name, fn) = Self.smooth[index]
        let f = GradientCheck.failures([.seeded([3, 4], seed: 30 + UInt64(index))]) { fn($0[0]) }
        #expect(f.isEmpty, "\(name): \(f)")
    }

    @Test("log and sqrt on positive inputs")
    func positiveDomain() {
        let x = Tensor.seeded([5], seed: 40).map { abs($0) + 0.5 }
        #expect(GradientCheck.failures([x]) { $0[0].log() }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].sqrt() }.isEmpty)
    }

    @Test("values match their definitions")
    func values() {
        let x = Tensor(shape: [4], values: [-2, -0.5, 0.5, 3])
        #expect(x.relu().values == [0, 0, 0.5, 3])
        #expect(x.leakyRelu(slope: 0.2).values == [-0.4, -0.1, 0.5, 3])
        #expect(x.elu().maxAbsDifference(Tensor(shape: [4], values: [expm1(-2), expm1(-0.5), 0.5, 3])) < 1e-7)
        let s = x.sigmoid().values
        for (v, xv) in zip(s, x.values) { #expect(abs(v - 1 / (1 + Foundation.exp(-xv))) < 1e-7) }
        // logSigmoid stays finite and exact far into both tails.
        let far = Tensor(shape: [2], values: [-100, 100]).logSigmoid().values
        #expect(abs(far[0] + 100) < 1e-4 && abs(far[1]) < 1e-30)
        #expect(Tensor(shape: [2], values: [-1000, 1000]).sigmoid().values == [0, 1])
    }

    @Test("dropout zeroes about p of the elements, scales the rest, and is repeatable")
    func dropout() {
        let x = Tensor.ones([10_000]).requiringGrad()
        var g1 = SeededGenerator(seed: 3)
        let y = x.dropout(probability: 0.3, generator: &g1)
        let zeros = y.values.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.3) < 0.02)
        #expect(y.values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        y.sum().backward()
        #expect(x.grad!.values == y.values, "the gradient is the same mask")
        var g2 = SeededGenerator(seed: 3)
        #expect(Tensor.ones([10_000]).dropout(probability: 0.3, generator: &g2).values == y.values)
        var g3 = SeededGenerator(seed: 3)
        #expect(Tensor.ones([5]).dropout(probability: 0, generator: &g3).values == [1, 1, 1, 1, 1])
    }
}
