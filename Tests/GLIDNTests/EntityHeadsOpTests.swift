import Autograd
import GLIDN
import TestSupport
import Testing

@Suite("The fused entity heads")
struct EntityHeadsOpTests {
    /// Clip 0 has two humans, clip 1 one, clip 2 none (h̄ = 0 there).
    static var humanMask: Tensor { Tensor(shape: [3, 4], values: [1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]) }

    @Test("equals W_s·x + b_s and W_a·[x ; mean of the humans' x] + b_a written as plain ops, values and gradients")
    func composition() {
        let x = Tensor.seeded([3, 4, 6], seed: 1)
        let parameters = [
            Tensor.seeded([5, 6], seed: 2), Tensor.seeded([5], seed: 3), Tensor.seeded([7, 12], seed: 4),
            Tensor.seeded([7], seed: 5),
        ]
        let seed = Tensor.seeded([3, 4, 12], seed: 6)
        func run(_ fused: Bool) -> (Tensor, [[Float]]) {
            let inputs = ([x] + parameters).map { $0.requiringGrad() }
            let (v, ws, bs, wa, ba) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4])
            // The reference: the op's plain composition of basic ops (EntityHeadsOp+Composition).
            let out = KernelMode.with(fused ? .fused : .plain) {
                EntityHeadsOp.apply(
                    v, humanMask: Self.humanMask, subWeight: ws, subBias: bs, affWeight: wa, affBias: ba)
            }
            (out * seed).sum().backward()
            return (out, inputs.map { $0.grad!.values })
        }
        let (fused, fusedGrads) = run(true)
        let (plain, plainGrads) = run(false)
        #expect(fused.shape == [3, 4, 12])
        #expect(fused.maxAbsDifference(plain) < 1e-5)
        for (a, b) in zip(fusedGrads, plainGrads) {
            #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(a.contains { $0 != 0 })
        }
    }

    @Test("gradients match finite differences")
    func finiteDifferences() {
        let inputs = [
            Tensor.seeded([3, 4, 6], seed: 7), Tensor.seeded([5, 6], seed: 8), Tensor.seeded([5], seed: 9),
            Tensor.seeded([7, 12], seed: 10), Tensor.seeded([7], seed: 11),
        ]
        let failures = GradientCheck.failures(inputs) {
            EntityHeadsOp.apply(
                $0[0], humanMask: Self.humanMask, subWeight: $0[1], subBias: $0[2], affWeight: $0[3], affBias: $0[4])
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
