import Autograd
import TestSupport
import Testing

@Suite("Reductions")
struct ReductionGradientTests {
    @Test("sum and mean over everything")
    func total() {
        let x = Tensor.seeded([2, 3, 4], seed: 50)
        #expect(GradientCheck.failures([x]) { $0[0].sum() }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].mean() }.isEmpty)
        let t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        #expect(t.sum().scalar == 10 && t.mean().scalar == 2.5)
    }

    @Test("sum and mean along each axis, kept or dropped", arguments: [0, 1, 2, -1])
    func alongAxis(axis: Int) {
        let x = Tensor.seeded([2, 3, 4], seed: 51)
        for keep in [false, true] {
            let f1 = GradientCheck.failures([x]) { $0[0].sum(axis: axis, keepDims: keep) }
            let f2 = GradientCheck.failures([x]) { $0[0].mean(axis: axis, keepDims: keep) }
            #expect(f1.isEmpty && f2.isEmpty, "axis \(axis): \(f1) \(f2)")
        }
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(t.sum(axis: 0).values == [5, 7, 9])
        #expect(t.sum(axis: 1).values == [6, 15])
        #expect(t.mean(axis: 1, keepDims: true).shape == [2, 1])
    }

    @Test("max along an axis: values, first index on ties, gradient to the winner", arguments: [0, 1, -1])
    func maximum(axis: Int) {
        // Distinct values so that a small step never changes the winner.
        let x = Tensor(shape: [3, 4], values: (0..<12).map { Float(($0 * 7) % 12) * 0.5 - 2 })
        let f = GradientCheck.failures([x], step: 1e-2) { $0[0].max(axis: axis).values }
        #expect(f.isEmpty, "\(f)")
        let t = Tensor(shape: [2, 3], values: [1, 5, 5, -1, -3, -2])
        let (v, i) = t.max(axis: 1)
        #expect(v.values == [5, -1] && i == [1, 0])
        let (v0, i0) = t.max(axis: 0, keepDims: true)
        #expect(v0.shape == [1, 3] && v0.values == [1, 5, 5] && i0 == [0, 0, 0])
    }
}
