import Autograd
import TestSupport
import Testing

@Suite("Masking and masked softmax")
struct MaskGradientTests {
    @Test("maskedFill and select with broadcast conditions")
    func masks() {
        let x = Tensor.seeded([2, 3], seed: 70)
        let y = Tensor.seeded([2, 3], seed: 71)
        let rowMask = Tensor(shape: [3], values: [1, 0, 1])
        #expect(GradientCheck.failures([x]) { $0[0].maskedFill(where: rowMask, with: -5) }.isEmpty)
        #expect(GradientCheck.failures([x, y]) { Tensor.select(rowMask, $0[0], $0[1]) }.isEmpty)
        let t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        #expect(t.maskedFill(where: Tensor(shape: [2, 1], values: [0, 1]), with: 0).values == [1, 2, 0, 0])
        #expect(Tensor.select(Tensor(shape: [2], values: [1, 0]), t, t * 10).values == [1, 20, 3, 40])
    }

    @Test("softmax and log-softmax along an axis", arguments: [0, 1, -1])
    func softmax(axis: Int) {
        let x = Tensor.seeded([3, 4, 2], seed: 72)
        #expect(GradientCheck.failures([x]) { $0[0].softmax(axis: axis) }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].logSoftmax(axis: axis) }.isEmpty)
        let rows = x.softmax(axis: axis).sum(axis: axis).values
        #expect(rows.allSatisfy { abs($0 - 1) < 1e-6 })
        let diff = x.logSoftmax(axis: axis).maxAbsDifference(x.softmax(axis: axis).log())
        #expect(diff < 1e-5)
    }

    @Test("softmax of huge logits stays finite")
    func stable() {
        let x = Tensor(shape: [3], values: [1000, 999, -1000])
        let p = x.softmax().values
        #expect(abs(p[0] - 0.7310586) < 1e-6 && p[2] == 0)
        #expect(x.logSoftmax().values.allSatisfy { $0.isFinite })
    }

    @Test("masked softmax rows: masked senders get weight 0, a fully masked row stays finite")
    func maskedSoftmax() {
        let scores = Tensor.seeded([3, 4], seed: 73)
        // Row 0: two senders allowed; row 1: all; row 2: none (an absent receiver).
        let allowed = Tensor(shape: [3, 4], values: [1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0])
        let blocked = allowed.map { 1 - $0 }
        let f = GradientCheck.failures([scores]) { $0[0].maskedFill(where: blocked, with: -1e9).softmax(axis: -1) }
        #expect(f.isEmpty, "\(f)")
        let p = scores.maskedFill(where: blocked, with: -1e9).softmax(axis: -1)
        #expect(p[0, 1] == 0 && p[0, 3] == 0 && abs(p[0, 0] + p[0, 2] - 1) < 1e-6)
        #expect(p.values.allSatisfy { $0.isFinite })
        #expect(abs(p[2, 0] - 0.25) < 1e-6, "a row with no sender is uniform, never NaN")
    }
}
