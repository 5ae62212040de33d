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
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        let scale = 1 / (1 - p)
        let key = generator.next()
        let (low, high) = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        // Keep when the 24-bit uniform draw is at least p.
        let threshold = UInt32((Double(p) * 16_777_216).rounded(.up))
        return Tensor(shape: shape) { m in
            let out = UnsafeSendable(m.baseAddress!)
            Parallel.forEachChunk(count: m.count, minimumChunk: parallelChunk) { range in
                for i in range {
                    let bits = hash(hash(UInt32(truncatingIfNeeded: i) ^ low) ^ high) >> 8
                    out.value[i] = bits < threshold ? 0 : scale
                }
            }
        }
    }

    /// A 32-bit integer hash with good avalanche (Chris Wellons' lowbias32).
    @inline(__always)
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
