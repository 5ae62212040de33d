import Foundation

/// The one source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Everything random (initialisation, dropout, shuffling, synthetic data) takes a
/// generator explicitly, and draws through these methods, whose algorithms are fixed
/// here rather than left to the standard library, so that a seed reproduces a run
/// exactly on any platform and toolchain.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// An independent generator derived from this one (for a sub-task such as dropout).
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextFloat()
    }

    /// Uniform integer in 0..<n without bias (Lemire's method).
    public mutating func nextInt(below n: Int) -> Int {
        require(n > 0, "nextInt(below:): bound \(n) must be positive")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func normal() -> Float {
        let u1 = Swift.max(nextDouble(), 1e-300)
        let u2 = nextDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// Fisher–Yates shuffle.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, nextInt(below: i + 1))
        }
    }
}

extension Tensor {
    /// Normally distributed values with the given standard deviation.
    public static func randomNormal(_ shape: [Int], std: Float = 1, generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = std * generator.normal() }
        }
    }

    /// Uniformly distributed values in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float, high: Float, generator: inout SeededGenerator)
        -> Tensor
    {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = generator.uniform(low, high) }
        }
    }
}

extension SeededGenerator {
    /// A generator for one purpose within a run: the same (seed, streams) always gives
    /// the same generator, different streams give independent ones (e.g. shuffling in
    /// epoch 3 is `SeededGenerator(seed: s, streams: [3, 0])`). This is what lets a
    /// resumed run draw exactly what an uninterrupted one would.
    public init(seed: UInt64, streams: [UInt64]) {
        var mixed = seed
        for s in streams {
            var g = SeededGenerator(seed: mixed ^ (s &* 0x9E37_79B9_7F4A_7C15))
            mixed = g.next()
        }
        self.init(seed: mixed)
    }
}
