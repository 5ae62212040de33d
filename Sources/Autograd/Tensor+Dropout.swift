/// Inverted dropout: zeroes elements with probability p and scales the rest by 1/(1-p).
extension Tensor {
    public func dropout(probability p: Float, generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p < 1, "dropout: probability \(p) is outside [0, 1)")
        if p == 0 { return self }
        let scale = 1 / (1 - p)
        let keep = Tensor(shape: shape) { m in
            for i in 0..<m.count { m[i] = generator.nextFloat() < p ? 0 : scale }
        }
        return self * keep
    }
}
