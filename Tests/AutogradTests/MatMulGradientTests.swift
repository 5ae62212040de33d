import Autograd
import TestSupport
import Testing

@Suite("Matrix products")
struct MatMulGradientTests {
    /// The plain triple loop that gemm must agree with.
    static func naive(
        _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool, transB: Bool, lda: Int, ldb: Int
    ) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    s += x * y
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    /// Shapes that take each of gemm's paths on two or more workers: one call; blocks of
    /// rows of C; blocks of columns (wide, and narrower than `BLAS.blockRows`); and blocks of
    /// the inner dimension, added afterwards.
    static let splits: [(m: Int, n: Int, k: Int)] = [
        (5, 7, 3), (600, 40, 64), (40, 600, 64), (96, 200, 96), (32, 24, 1024),
    ]

    @Test(
        "gemm equals the naive loop, whichever way it splits the product",
        arguments: [(false, false), (true, false), (false, true), (true, true)], 0..<5)
    func gemm(transposes: (Bool, Bool), split: Int) {
        let (transA, transB) = transposes
        let (m, n, k) = Self.splits[split]
        // Row strides wider than the matrices, as for a sub-matrix.
        let lda = (transA ? m : k) + 2
        let ldb = (transB ? k : n) + 1
        let a = Tensor.seeded([(transA ? k : m) * lda], seed: 80).values
        let b = Tensor.seeded([(transB ? n : k) * ldb], seed: 81).values
        var c = [Float](repeating: 1, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(
                        transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2,
                        a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                        beta: 0.5, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        let expected = Self.naive(a, b, m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb)
            .map { 2 * $0 + 0.5 }
        #expect(zip(c, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) * Float(max(k / 8, 1)) })
    }

    @Test("gemm with k = 0 leaves beta · C")
    func emptyInner() {
        var c: [Float] = [2, 4]
        let dummy: [Float] = [0]
        c.withUnsafeMutableBufferPointer { pc in
            BLAS.gemm(
                transA: false, transB: false, m: 1, n: 2, k: 0, a: dummy, lda: 1, b: dummy, ldb: 2,
                beta: 0.5, c: pc.baseAddress!, ldc: 2)
        }
        #expect(c == [1, 2])
    }

    @Test(
        "matmul gradients for every transpose combination, 2-d and batched",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transA: Bool, transB: Bool) {
        for batch in [[Int](), [2], [2, 3]] {
            let a = Tensor.seeded(batch + (transA ? [4, 3] : [3, 4]), seed: 82)
            let b = Tensor.seeded(batch + (transB ? [5, 4] : [4, 5]), seed: 83)
            let f = GradientCheck.failures([a, b]) {
                Tensor.matmul($0[0], $0[1], transposeA: transA, transposeB: transB)
            }
            #expect(f.isEmpty, "batch \(batch): \(f)")
        }
    }

    @Test("a batch against one shared matrix")
    func sharedMatrix() {
        let a = Tensor.seeded([2, 3, 4], seed: 84)
        let b = Tensor.seeded([4, 5], seed: 85)
        #expect(GradientCheck.failures([a, b]) { Tensor.matmul($0[0], $0[1]) }.isEmpty)
        #expect(GradientCheck.failures([a, b.transposed()]) { Tensor.matmul($0[0], $0[1], transposeB: true) }.isEmpty)
        let t = Tensor.matmul(Tensor(shape: [1, 2], values: [1, 2]), Tensor(shape: [2, 2], values: [3, 4, 5, 6]))
        #expect(t.values == [13, 16])
    }

    @Test("linear = x · Wᵀ + b, with and without bias, on any leading axes")
    func linear() {
        let x = Tensor.seeded([2, 3, 4], seed: 86)
        let w = Tensor.seeded([5, 4], seed: 87)
        let b = Tensor.seeded([5], seed: 88)
        #expect(GradientCheck.failures([x, w, b]) { $0[0].linear(weight: $0[1], bias: $0[2]) }.isEmpty)
        #expect(GradientCheck.failures([x, w]) { $0[0].linear(weight: $0[1], bias: nil) }.isEmpty)
        let composed = Tensor.matmul(x, w, transposeB: true) + b
        #expect(x.linear(weight: w, bias: b).maxAbsDifference(composed) < 1e-5)
    }
}

@Suite("Fused reductions and products against their compositions")
struct FusedOpTests {
    @Test("linear over a concatenation equals concat then linear, with gradients for every input")
    func linearConcatenating() {
        let a = Tensor.seeded([2, 3, 4], seed: 1)
        let b = Tensor.seeded([2, 3, 2], seed: 2)
        let w = Tensor.seeded([5, 6], seed: 3)
        let bias = Tensor.seeded([5], seed: 4)
        let fused = Tensor.linear(concatenating: [a, b], weight: w, bias: bias)
        let plain = Tensor.concat([a, b], axis: -1).linear(weight: w, bias: bias)
        #expect(fused.maxAbsDifference(plain) < 1e-5)
        let f = GradientCheck.failures([a, b, w, bias]) {
            Tensor.linear(concatenating: [$0[0], $0[1]], weight: $0[2], bias: $0[3])
        }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("masked mean and max over an axis equal their compositions, including an empty row", arguments: [0, 1])
    func maskedReductions(axis: Int) {
        let x = Tensor.seeded([3, 4, 5], seed: 5)
        // Row 1 of the mask keeps nothing along axis 1 when axis = 1; column 2 nothing along axis 0.
        let mask = Tensor(shape: [3, 4], values: [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0])
        let weights = mask.unsqueezed(axis: -1)
        let counts = mask.sum(axis: axis).map { max($0, 1) }.unsqueezed(axis: -1)
        let mean = (x * weights).sum(axis: axis) / counts
        #expect(x.maskedMean(axis: axis, mask: mask).maxAbsDifference(mean) < 1e-6)
        let blocked = mask.map { $0 == 0 ? 1 : 0 }.unsqueezed(axis: -1)
        let best = x.maskedFill(where: blocked, with: -.infinity).max(axis: axis).values
        let any = mask.max(axis: axis).values.unsqueezed(axis: -1)
        let maximum = Tensor.select(any, best, Tensor.zeros(best.shape))
        #expect(x.maskedMax(axis: axis, mask: mask).maxAbsDifference(maximum) == 0)
        #expect(GradientCheck.failures([x]) { $0[0].maskedMean(axis: axis, mask: mask) }.isEmpty)
        #expect(GradientCheck.failures([x]) { $0[0].maskedMax(axis: axis, mask: mask) }.isEmpty)
    }

    @Test("ReLU times a row mask in one op equals relu() then the broadcast product, values and gradients")
    func reluMasked() {
        let x = Tensor.seeded([3, 4, 5], seed: 8)
        let mask = Tensor(shape: [3, 4], values: [1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0])
        let seed = Tensor.seeded([3, 4, 5], seed: 9)
        let (a, b) = (x.requiringGrad(), x.requiringGrad())
        let fused = a.reluMasked(rows: mask)
        let plain = b.relu() * mask.unsqueezed(axis: -1)
        (fused * seed).sum().backward()
        (plain * seed).sum().backward()
        #expect(fused.values == plain.values)
        #expect(a.grad!.values == b.grad!.values)
        #expect(a.grad!.values.contains { $0 != 0 } && fused.values.contains { $0 == 0 })
        let f = GradientCheck.failures([x.map { $0 + ($0 > 0 ? 0.05 : -0.05) }]) { $0[0].reluMasked(rows: mask) }
        #expect(f.isEmpty, "\(f)")
    }

    @Test(
        "masked mean and max in one op equal the concatenation of the two, values and gradients bit for bit",
        arguments: [0, 1])
    func maskedMeanAndMax(axis: Int) {
        let mask = Tensor(shape: [3, 4], values: [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0])
        let seed = Tensor.seeded(axis == 0 ? [4, 10] : [3, 10], seed: 7)
        let fusedInput = Tensor.seeded([3, 4, 5], seed: 5).requiringGrad()
        let fused = fusedInput.maskedMeanAndMax(axis: axis, mask: mask)
        fused.backward(seed: seed)
        let plainInput = Tensor.seeded([3, 4, 5], seed: 5).requiringGrad()
        let plain = Tensor.concat(
            [plainInput.maskedMean(axis: axis, mask: mask), plainInput.maskedMax(axis: axis, mask: mask)], axis: -1)
        plain.backward(seed: seed)
        #expect(fused.shape == plain.shape && fused.values == plain.values)
        #expect(fusedInput.grad!.values == plainInput.grad!.values)
        #expect(fusedInput.grad!.values.contains { $0 != 0 })
        let f = GradientCheck.failures([Tensor.seeded([3, 4, 5], seed: 5)]) {
            $0[0].maskedMeanAndMax(axis: axis, mask: mask)
        }
        #expect(f.isEmpty, "\(f)")
    }
}
