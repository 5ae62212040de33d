import Autograd
import TestSupport
import Testing

@Suite("Fused ops against their plain compositions")
struct PlainCompositionTests {
    /// [2, 3, 4] masks over a [2, 3, 4, 5] input: a row with nothing kept, ties in the maximum.
    static var mask: Tensor {
        var m = (0..<24).map { Float($0 % 3 == 1 ? 0 : 1) }
        for s in 0..<3 { m[(0 * 3 + s) * 4 + 2] = 0 }  // clip 0, entity 2: never kept along axis 1
        return Tensor(shape: [2, 3, 4], values: m)
    }

    static var input: Tensor {
        var x = Tensor.seeded([2, 3, 4, 5], seed: 1).values
        x[5] = x[25]  // a tie between two positions of axis 1
        return Tensor(shape: [2, 3, 4, 5], values: x)
    }

    @Test(
        "masked mean, masked max and the fused mean-and-max: values and gradients",
        arguments: ["mean", "max", "meanAndMax"])
    func maskedReductions(op: String) {
        let mask = Self.mask
        let c = FusedVersusPlain.compare([Self.input]) { x in
            switch op {
            case "mean": return x[0].maskedMean(axis: 1, mask: mask)
            case "max": return x[0].maskedMax(axis: 1, mask: mask)
            default: return x[0].maskedMeanAndMax(axis: 1, mask: mask)
            }
        }
        #expect(c.ranDifferentCode, "plain mode recorded the same ops: \(c.plainOps)")
        #expect(c.worst < 1e-6, "output \(c.output), gradients \(c.gradients)")
    }

    @Test("ReLU with a row mask, and the linear map of joined inputs")
    func reluAndJoinedLinear() {
        let rows = Tensor(shape: [3, 2], values: [1, 0, 1, 1, 0, 1])
        let relu = FusedVersusPlain.compare([Tensor.awayFromZero([3, 2, 4], seed: 2)]) { $0[0].reluMasked(rows: rows) }
        #expect(relu.ranDifferentCode && relu.worst == 0, "\(relu.gradients)")
        let linear = FusedVersusPlain.compare([
            .seeded([2, 3, 4], seed: 3), .seeded([2, 3, 2], seed: 4), .seeded([5, 6], seed: 5),
            .seeded([5], seed: 6),
        ]) {
            Tensor.linear(concatenating: [$0[0], $0[1]], weight: $0[2], bias: $0[3])
        }
        #expect(linear.ranDifferentCode && linear.worst < 1e-6, "\(linear.output) \(linear.gradients)")
    }

    @Test("GLIDN_KERNELS picks the mode; a task-local override wins")
    func modeSwitch() {
        #expect(KernelMode.with(.plain) { KernelMode.usesPlainOps })
        #expect(!KernelMode.with(.fused) { KernelMode.usesPlainOps })
        #expect(KernelMode.current == KernelMode.environment)
    }
}
