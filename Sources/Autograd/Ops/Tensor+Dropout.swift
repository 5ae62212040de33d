/// Inverted dropout: zeroes elements with probability p and scales the rest by 1/(1-p).
extension Tensor {
    public func dropout(probability p: Float, generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        if p == 0 { return self }
        return self * Tensor.dropoutMask(shape, probability: p, generator: &generator)
    }
}

extension Tensor {
    /// The multipliers of inverted dropout: 0 with probability p, 1/(1-p) otherwise.
    ///
    /// One draw from `generator` keys a counter-based hash, so that element i's decision
    /// depends only on (key, i): the mask is the same however many threads compute it.
    public static func dropoutMask(_ shape: [Int], probability p: Float, generator: inout SeededGenerator) -> Tensor {
        dropoutMask(shape, draw: DropoutDraw(probability: p, generator: &generator))
    }

    /// The multipliers of one draw over `shape` (what fused kernels compute inline).
    public static func dropoutMask(_ shape: [Int], draw: DropoutDraw) -> Tensor {
        Tensor(shape: shape) { m in
            let out = UnsafeSendable(m.baseAddress!)
            Parallel.forEachChunk(count: m.count, minimumChunk: parallelChunk) { range in
                for i in range { out.value[i] = draw.multiplier(i) }
            }
        }
    }

    /// A 32-bit integer hash with good avalanche (Chris Wellons' lowbias32).
    @inlinable @inline(__always)
    static func hash(_ value: UInt32) -> UInt32 {
        var x = value
        x ^= x >> 16
        x = x &* 0x7FEB_352D
        x ^= x >> 15
        x = x &* 0x846C_A68B
        x ^= x >> 16
        return x
    }
}

/// One dropout draw over a tensor: a key taken from the generator, from which element
/// i's multiplier (0 with probability p, 1/(1-p) otherwise) follows by hashing (key, i).
/// Kernels that fuse dropout compute the multipliers inline instead of storing a mask.
public struct DropoutDraw: Sendable {
    public let probability: Float
    public let scale: Float
    @usableFromInline let low, high, threshold: UInt32

    public init(probability p: Float, generator: inout SeededGenerator) {
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        probability = p
        scale = 1 / (1 - p)
        let key = generator.next()
        (low, high) = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        // Keep when the 24-bit uniform draw is at least p.
        threshold = UInt32((Double(p) * 16_777_216).rounded(.up))
    }

    /// The multiplier of element i.
    @inlinable @inline(__always)
    public func multiplier(_ i: Int) -> Float {
        let bits = Tensor.hash(Tensor.hash(UInt32(truncatingIfNeeded: i) ^ low) ^ high) >> 8
        return bits < threshold ? 0 : scale
    }
}
