import Autograd
import TestSupport
import Testing

@Suite("The tape")
struct TapeTests {
    @Test("no-grad scope and detached() record nothing")
    func noGrad() {
        let x = Tensor.seeded([3], seed: 100).requiringGrad()
        let inside = withoutGradients { (x * 2).sigmoid() }
        #expect(!inside.requiresGrad)
        #expect(!(x.detached() * 2).requiresGrad)
        #expect((x * 2).requiresGrad)
        #expect(!(Tensor.ones([2]) + Tensor.ones([2])).requiresGrad, "constants need no record")
    }

    @Test("gradients accumulate across backward calls until zeroGrad")
    func accumulate() {
        let x = Tensor(shape: [2], values: [1, 2]).requiringGrad()
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad!.values == [6, 6])
        x.zeroGrad()
        #expect(x.grad == nil)
        (x * x).sum().backward()
        #expect(x.grad!.values == [2, 4])
    }

    @Test("the graph is freed after backward: saved tensors are released")
    func graphFreed() {
        weak var saved: TensorStorage?
        let x = Tensor.seeded([64], seed: 101).requiringGrad()
        var loss: Tensor
        do {
            let h = x.sigmoid()
            saved = h.storage
            loss = (h * h).sum()
        }
        #expect(saved != nil, "the graph holds the intermediate before backward")
        loss.backward()
        #expect(saved == nil, "backward released the intermediate")
        #expect(x.grad != nil)
    }

    @Test("a chain of 200,000 ops differentiates and frees without recursion")
    func longChain() {
        let x = Tensor(shape: [1], values: [0.5]).requiringGrad()
        var y = x
        // ×2 and ×0.5 in turn: every product is exact in float32, so the gradient is exactly 1.
        for i in 0..<200_000 { y = i.isMultiple(of: 2) ? y * 2 : y * 0.5 }
        y.sum().backward()
        #expect(x.grad!.scalar == 1)
        #expect(y.scalar == 0.5)
        // Dropping an un-differentiated chain just as long must not overflow the stack either.
        var z = x
        for _ in 0..<200_000 { z = z + 1 }
        #expect(z.scalar > 0)
    }

    @Test("backward on a non-scalar needs a seed of its shape")
    func seeded() {
        let x = Tensor(shape: [3], values: [1, 2, 3]).requiringGrad()
        (x * x).backward(seed: Tensor(shape: [3], values: [1, 0, 2]))
        #expect(x.grad!.values == [2, 0, 12])
    }
}

@Suite("The gradient checker itself")
struct GradientCheckerTests {
    @Test("a deliberately wrong gradient is caught")
    func catchesWrongGradient() {
        // An op computing x² whose recorded gradient is x instead of 2x.
        func wrongSquare(_ x: Tensor) -> Tensor {
            let value = x.map { $0 * $0 }
            let input = x.detached()
            return Tensor.record(value, inputs: [x]) { g in [Tensor.zipMap(g, input, *)] }
        }
        let failures = GradientCheck.failures([.seeded([4], seed: 1)]) { wrongSquare($0[0]) }
        #expect(failures.count == 4)
    }
}
