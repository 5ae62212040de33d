/// exp for float32 written so that loops calling it vectorise (no library call):
/// Cephes' expf, range reduction by ln 2 and a degree-6 polynomial. Within 2 ulp of
/// the correctly rounded value (tested); results below 2^-125 (inputs below about
/// -86.6) are flushed to 0, inputs above 88.72 give the largest finite value's neighbour.
public enum FastMath {
    @inlinable @inline(__always)
    public static func exp(_ value: Float) -> Float {
        let x = min(max(value, -87.33654), 88.72283)
        // n = round(x / ln 2) by the 1.5·2^23 trick: plain float arithmetic, so loops
        // vectorise even without SSE4.1's round instruction; n's bits come along.
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        let z = r * r
        var y: Float = 1.987_569_15e-4
        y = y * r + 1.398_199_950_7e-3
        y = y * r + 8.333_451_907_3e-3
        y = y * r + 4.166_579_589_4e-2
        y = y * r + 1.666_666_545_9e-1
        y = y * r + 5.000_000_120_1e-1
        y = y * z + r + 1
        // 2^n = 2 · 2^(n-1), built from exponent bits; n - 1 + 127 stays within [0, 254].
        let exponent = shifted.bitPattern &- 0x4B40_0000 &+ 126
        let scale = Float(bitPattern: exponent &<< 23)
        return (y * 2) * scale
    }

    /// ELU with α = 1.
    @inlinable @inline(__always)
    public static func elu(_ x: Float) -> Float {
        x > 0 ? x : exp(x) - 1
    }
}
