import Autograd
import TestSupport
import Testing

@Suite("Gradients of broadcasting arithmetic")
struct ArithmeticGradientTests {
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3], [2, 3]),
        ([2, 3], [3]),
        ([2, 1, 3], [4, 1]),
        ([3], [2, 3]),
        ([2, 3], []),
        ([1, 3, 1], [2, 1, 4]),
    ]

    @Test("a + b", arguments: shapePairs)
    func add(a: [Int], b: [Int]) {
        let f = GradientCheck.failures([.seeded(a, seed: 1), .seeded(b, seed: 2)]) { $0[0] + $0[1] }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("a - b", arguments: shapePairs)
    func subtract(a: [Int], b: [Int]) {
        let f = GradientCheck.failures([.seeded(a, seed: 3), .seeded(b, seed: 4)]) { $0[0] - $0[1] }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("a * b", arguments: shapePairs)
    func multiply(a: [Int], b: [Int]) {
        let f = GradientCheck.failures([.seeded(a, seed: 5), .seeded(b, seed: 6)]) { $0[0] * $0[1] }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("a / b", arguments: shapePairs)
    func divide(a: [Int], b: [Int]) {
        // Denominators kept away from zero.
        let denominator = Tensor.seeded(b, seed: 8).map { $0 >= 0 ? $0 + 1 : $0 - 1 }
        let f = GradientCheck.failures([.seeded(a, seed: 7), denominator]) { $0[0] / $0[1] }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("negation and scalar operands")
    func scalars() {
        let x = Tensor.seeded([3, 2], seed: 9)
        let f = GradientCheck.failures([x]) { v in
            let x = v[0]
            return (-x) + 2 * x - (x * 0.5) + (1 - x) / 4 + (x + 3) - 1
        }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("an input used twice: x * x and x + x feed one result")
    func inputUsedTwice() {
        let x = Tensor.seeded([4], seed: 10)
        let f = GradientCheck.failures([x]) { v in v[0] * v[0] + (v[0] + v[0]) }
        #expect(f.isEmpty, "\(f)")
        // And the exact value: d(x² + 2x)/dx = 2x + 2.
        let leaf = x.requiringGrad()
        (leaf * leaf + (leaf + leaf)).sum().backward()
        let expected = x.map { 2 * $0 + 2 }
        #expect(leaf.grad!.maxAbsDifference(expected) < 1e-6)
    }

    @Test("a shared subexpression reached along two paths")
    func sharedSubexpression() {
        let f = GradientCheck.failures([.seeded([2, 3], seed: 11), .seeded([3], seed: 12)]) { v in
            let h = (v[0] * v[1]).sigmoid()
            return h * v[0] + h.exp() - h * v[1]
        }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("broadcast(to:) and sum(toShape:) are each other's gradients")
    func broadcastTo() {
        let f = GradientCheck.failures([.seeded([3, 1], seed: 13)]) { $0[0].broadcast(to: [2, 3, 4]) }
        #expect(f.isEmpty, "\(f)")
        let big = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(big.sum(toShape: [3]).values == [5, 7, 9])
        #expect(big.sum(toShape: [2, 1]).values == [6, 15])
        #expect(big.sum(toShape: []).values == [21])
    }
}
