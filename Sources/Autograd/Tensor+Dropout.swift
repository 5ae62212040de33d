/// Inverted dropout: zeroes elements with probability p and scales the rest by 1/(1-p).
extension Tensor {
    public func dropout(probability p: Float, generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        if p == 0 { return self }
        return self * Tensor.dropoutMask(shape, probability: p, generator: &generator)
    }
}

extension Tensor {
    /// The multipliers of inverted dropout: 0 with probability p, 1/(1-p) otherwise,
    /// drawn in element order (what `dropout` multiplies by).
    public static func dropoutMask(_ shape: [Int], probability p: Float, generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        let scale = 1 / (1 - p)
        return Tensor(shape: shape) { m in
            for i in 0..<m.count { m[i] = generator.nextFloat() < p ? 0 : scale }
        }
    }
}
