import Autograd
import Testing

@Suite("Vector loops of the fused kernels")
struct VectorMathTests {
    /// Counts on both sides of the four-at-a-time blocks, lengths with and without a
    /// remainder after the eight-lane body, and strides wider than the length.
    @Test(
        "dots of one vector against many equal the plain sums",
        arguments: [(1, 3), (3, 8), (4, 16), (5, 32), (7, 37), (9, 5), (12, 64)])
    func dots(count: Int, length: Int) {
        var generator = SeededGenerator(seed: UInt64(count * 100 + length))
        let stride = length + 3
        let a = (0..<length).map { _ in generator.nextFloat() - 0.5 }
        let vectors = (0..<(count * stride)).map { _ in generator.nextFloat() - 0.5 }
        var out = [Float](repeating: .nan, count: count * 2)
        a.withUnsafeBufferPointer { ap in
            vectors.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { op in
                    VectorMath.dots(
                        ap.baseAddress!, vectors: vp.baseAddress!, vectorStride: stride, count: count,
                        length: length, into: op.baseAddress!, outStride: 2)
                }
            }
        }
        for j in 0..<count {
            var expected: Double = 0
            for c in 0..<length { expected += Double(a[c]) * Double(vectors[j * stride + c]) }
            #expect(abs(Double(out[2 * j]) - expected) < 1e-5, "dot \(j) of \(count)×\(length)")
            #expect(out[2 * j + 1].isNaN, "only every outStride-th value is written")
        }
    }

    @Test("a weighted sum of strided rows equals the plain sum", arguments: [(1, 7), (6, 32), (3, 45), (8, 128)])
    func weightedSum(count: Int, length: Int) {
        var generator = SeededGenerator(seed: UInt64(count * 1000 + length))
        let (weightStride, vectorStride) = (3, length + 5)
        let weights = (0..<(count * weightStride)).map { _ in generator.nextFloat() - 0.5 }
        let vectors = (0..<(count * vectorStride)).map { _ in generator.nextFloat() - 0.5 }
        var out = [Float](repeating: .nan, count: length)
        weights.withUnsafeBufferPointer { wp in
            vectors.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { op in
                    VectorMath.weightedSum(
                        weights: wp.baseAddress!, weightStride: weightStride, vectors: vp.baseAddress!,
                        vectorStride: vectorStride, count: count, length: length, into: op.baseAddress!)
                }
            }
        }
        for c in 0..<length {
            var expected: Double = 0
            for j in 0..<count { expected += Double(weights[j * weightStride]) * Double(vectors[j * vectorStride + c]) }
            #expect(abs(Double(out[c]) - expected) < 1e-5, "element \(c)")
        }
    }
}
