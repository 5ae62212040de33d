import CVectorMath

/// Short vector loops written with SIMD types, for the inner loops of fused kernels.
///
/// The compiler does not vectorise a float sum on its own (that would reorder
/// additions), so dot products are spelled out over 8 lanes here; the lane order of
/// the additions is fixed, so results are the same on every run.
public enum VectorMath {
    /// Σ a[i]·b[i] for i in 0..<n.
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            acc +=
                ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < n {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// The square root of each lane, as one vector instruction: `SIMD16<Float>.squareRoot()`
    /// calls libm's sqrtf once per lane (CVectorMath.h says why). Bit-identical to it.
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> { glidn_square_root16(x) }

    /// Σ a[i] for i in 0..<n, eight lanes at a time.
    @inlinable @inline(__always)
    public static func sum(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a)
        while i + 8 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < n {
            total += a[i]
            i += 1
        }
        return total
    }

    /// y[i] += alpha·x[i] for i in 0..<n.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let rx = UnsafeRawPointer(x)
        let ry = UnsafeMutableRawPointer(y)
        let a = SIMD8<Float>(repeating: alpha)
        while i + 8 <= n {
            let v =
                ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + a * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }
}

extension VectorMath {
    /// out[0..<length] = Σ_j weights[j·weightStride] · vectors[j·vectorStride ..< j·vectorStride + length]
    /// for j in 0..<count: a weighted sum of rows, accumulated in registers 32 lanes at a time.
    @inlinable @inline(__always)
    public static func weightedSum(
        weights: UnsafePointer<Float>, weightStride: Int, vectors: UnsafePointer<Float>, vectorStride: Int,
        count: Int, length: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeRawPointer(vectors)
        let rawOut = UnsafeMutableRawPointer(out)
        var c = 0
        while c + 32 <= length {
            var a0 = SIMD16<Float>()
            var a1 = SIMD16<Float>()
            for j in 0..<count {
                let w = SIMD16<Float>(repeating: weights[j &* weightStride])
                let at = (j &* vectorStride &+ c) &* 4
                a0 += w * raw.loadUnaligned(fromByteOffset: at, as: SIMD16<Float>.self)
                a1 += w * raw.loadUnaligned(fromByteOffset: at &+ 64, as: SIMD16<Float>.self)
            }
            rawOut.storeBytes(of: a0, toByteOffset: c &* 4, as: SIMD16<Float>.self)
            rawOut.storeBytes(of: a1, toByteOffset: c &* 4 &+ 64, as: SIMD16<Float>.self)
            c &+= 32
        }
        while c + 8 <= length {
            var a = SIMD8<Float>()
            for j in 0..<count {
                a +=
                    SIMD8<Float>(repeating: weights[j &* weightStride])
                    * raw.loadUnaligned(fromByteOffset: (j &* vectorStride &+ c) &* 4, as: SIMD8<Float>.self)
            }
            rawOut.storeBytes(of: a, toByteOffset: c &* 4, as: SIMD8<Float>.self)
            c &+= 8
        }
        while c < length {
            var a: Float = 0
            for j in 0..<count { a += weights[j &* weightStride] * vectors[j &* vectorStride &+ c] }
            out[c] = a
            c &+= 1
        }
    }
}

extension VectorMath {
    /// out[j·outStride] = a · vectors[j·vectorStride ..< j·vectorStride + length] for j in 0..<count:
    /// one vector against many, four at a time, so that the four sums across lanes share
    /// their shuffles (a lone dot product spends as long adding its lanes as multiplying).
    /// Each dot adds its eight lane sums in the same fixed order, so results repeat exactly.
    @inlinable @inline(__always)
    public static func dots(
        _ a: UnsafePointer<Float>, vectors: UnsafePointer<Float>, vectorStride: Int, count: Int, length: Int,
        into out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        let rawA = UnsafeRawPointer(a)
        let raw = UnsafeRawPointer(vectors)
        let body = length & ~7
        var j = 0
        while j &+ 4 <= count {
            var s0 = SIMD8<Float>()
            var s1 = SIMD8<Float>()
            var s2 = SIMD8<Float>()
            var s3 = SIMD8<Float>()
            let (b0, b1, b2, b3) = (
                j &* vectorStride &* 4, (j &+ 1) &* vectorStride &* 4,
                (j &+ 2) &* vectorStride &* 4, (j &+ 3) &* vectorStride &* 4
            )
            var c = 0
            while c < body {
                let x = rawA.loadUnaligned(fromByteOffset: c &* 4, as: SIMD8<Float>.self)
                s0 += x * raw.loadUnaligned(fromByteOffset: b0 &+ c &* 4, as: SIMD8<Float>.self)
                s1 += x * raw.loadUnaligned(fromByteOffset: b1 &+ c &* 4, as: SIMD8<Float>.self)
                s2 += x * raw.loadUnaligned(fromByteOffset: b2 &+ c &* 4, as: SIMD8<Float>.self)
                s3 += x * raw.loadUnaligned(fromByteOffset: b3 &+ c &* 4, as: SIMD8<Float>.self)
                c &+= 8
            }
            // Lane sums of the four accumulators at once: halves, then even + odd lanes twice.
            let h0 = s0.lowHalf + s0.highHalf
            let h1 = s1.lowHalf + s1.highHalf
            let h2 = s2.lowHalf + s2.highHalf
            let h3 = s3.lowHalf + s3.highHalf
            let p01 = SIMD4(lowHalf: h0.evenHalf + h0.oddHalf, highHalf: h1.evenHalf + h1.oddHalf)
            let p23 = SIMD4(lowHalf: h2.evenHalf + h2.oddHalf, highHalf: h3.evenHalf + h3.oddHalf)
            var sums = SIMD4(lowHalf: p01.evenHalf + p01.oddHalf, highHalf: p23.evenHalf + p23.oddHalf)
            while c < length {
                let x = a[c]
                sums +=
                    x
                    * SIMD4(
                        vectors[j &* vectorStride &+ c], vectors[(j &+ 1) &* vectorStride &+ c],
                        vectors[(j &+ 2) &* vectorStride &+ c], vectors[(j &+ 3) &* vectorStride &+ c])
                c &+= 1
            }
            for q in 0..<4 { out[(j &+ q) &* outStride] = sums[q] }
            j &+= 4
        }
        while j < count {
            var s = SIMD8<Float>()
            let b = j &* vectorStride &* 4
            var c = 0
            while c < body {
                s +=
                    rawA.loadUnaligned(fromByteOffset: c &* 4, as: SIMD8<Float>.self)
                    * raw.loadUnaligned(fromByteOffset: b &+ c &* 4, as: SIMD8<Float>.self)
                c &+= 8
            }
            let h = s.lowHalf + s.highHalf
            let p = h.evenHalf + h.oddHalf
            var total = p[0] + p[1]
            while c < length {
                total += a[c] * vectors[j &* vectorStride &+ c]
                c &+= 1
            }
            out[j &* outStride] = total
            j &+= 1
        }
    }
}
