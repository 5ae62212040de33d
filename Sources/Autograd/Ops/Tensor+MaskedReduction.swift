/// Means and maxima over one axis, counting only the positions a 0/1 mask keeps, each
/// in one pass: the pooling of entities over visible frames and of clips over entities.
///
/// x has shape [..., D]; `mask` has x's shape without D; `axis` is one of the mask's
/// axes. Where the mask keeps no position, the result is 0 (and no gradient flows).
extension Tensor {
    /// Σ_s mask · x / max(Σ_s mask, 1) over `axis`.
    public func maskedMean(axis: Int, mask: Tensor) -> Tensor {
        if KernelMode.usesPlainOps { return composedMaskedMean(axis: axis, mask: mask) }
        let l = MaskedLayout(self, mask: mask, axis: axis, op: "maskedMean")
        var counts = [Float](repeating: 0, count: l.outer * l.inner)
        let value = Tensor(shape: l.resultShape) { out in
            withUnsafeBufferPointer { x in
                mask.withUnsafeBufferPointer { m in
                    let p = UnsafeSendable((out.baseAddress!, x.baseAddress!, m.baseAddress!))
                    counts.withUnsafeMutableBufferPointer { c in
                        let cs = UnsafeSendable(c.baseAddress!)
                        Parallel.forEachChunk(count: l.outer, minimumChunk: l.chunk) { range in
                            let (o, xv, mv) = p.value
                            for outer in range {
                                for i in 0..<l.inner {
                                    let dst = o + (outer * l.inner + i) * l.d
                                    for q in 0..<l.d { dst[q] = 0 }
                                    var count: Float = 0
                                    for s in 0..<l.size {
                                        let w = mv[(outer * l.size + s) * l.inner + i]
                                        guard w != 0 else { continue }
                                        count += w
                                        let src = xv + ((outer * l.size + s) * l.inner + i) * l.d
                                        for q in 0..<l.d { dst[q] += w * src[q] }
                                    }
                                    let r = 1 / Swift.max(count, 1)
                                    for q in 0..<l.d { dst[q] *= r }
                                    cs.value[outer * l.inner + i] = Swift.max(count, 1)
                                }
                            }
                        }
                    }
                }
            }
        }
        let weights = mask.detached()
        return Tensor.record(value, inputs: [self]) { g in
            [
                Tensor(shape: l.inputShape) { dx in
                    g.withUnsafeBufferPointer { gv in
                        weights.withUnsafeBufferPointer { m in
                            counts.withUnsafeBufferPointer { c in
                                let p = UnsafeSendable(
                                    (dx.baseAddress!, gv.baseAddress!, m.baseAddress!, c.baseAddress!))
                                Parallel.forEachChunk(count: l.outer, minimumChunk: l.chunk) { range in
                                    let (dp, gp, mp, cp) = p.value
                                    for outer in range {
                                        for s in 0..<l.size {
                                            for i in 0..<l.inner {
                                                let w = mp[(outer * l.size + s) * l.inner + i] / cp[outer * l.inner + i]
                                                let (dst, src) = (
                                                    dp + ((outer * l.size + s) * l.inner + i) * l.d,
                                                    gp + (outer * l.inner + i) * l.d
                                                )
                                                for q in 0..<l.d { dst[q] = w * src[q] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            ]
        }
    }

    /// The maximum over `axis` among the positions the mask keeps (the first on ties).
    public func maskedMax(axis: Int, mask: Tensor) -> Tensor {
        if KernelMode.usesPlainOps { return composedMaskedMax(axis: axis, mask: mask) }
        let l = MaskedLayout(self, mask: mask, axis: axis, op: "maskedMax")
        var winners = [Int32](repeating: -1, count: l.outer * l.inner * l.d)
        let value = Tensor(shape: l.resultShape) { out in
            withUnsafeBufferPointer { x in
                mask.withUnsafeBufferPointer { m in
                    winners.withUnsafeMutableBufferPointer { wv in
                        let p = UnsafeSendable((out.baseAddress!, x.baseAddress!, m.baseAddress!, wv.baseAddress!))
                        Parallel.forEachChunk(count: l.outer, minimumChunk: l.chunk) { range in
                            let (o, xv, mv, win) = p.value
                            for outer in range {
                                for i in 0..<l.inner {
                                    let dst = (outer * l.inner + i) * l.d
                                    for q in 0..<l.d {
                                        o[dst + q] = 0
                                        win[dst + q] = -1
                                    }
                                    for s in 0..<l.size where mv[(outer * l.size + s) * l.inner + i] != 0 {
                                        let src = xv + ((outer * l.size + s) * l.inner + i) * l.d
                                        let (best, winner) = (o + dst, win + dst)
                                        let position = Int32(s)
                                        // Selects on values, not branches, so that the loop vectorises.
                                        for q in 0..<l.d {
                                            let better = winner[q] < 0 || src[q] > best[q]
                                            best[q] = better ? src[q] : best[q]
                                            winner[q] = better ? position : winner[q]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor.record(value, inputs: [self]) { g in
            [
                Tensor(shape: l.inputShape) { dx in
                    dx.initialize(repeating: 0)
                    g.withUnsafeBufferPointer { gv in
                        for outer in 0..<l.outer {
                            for i in 0..<l.inner {
                                let at = (outer * l.inner + i) * l.d
                                for q in 0..<l.d where winners[at + q] >= 0 {
                                    dx[((outer * l.size + Int(winners[at + q])) * l.inner + i) * l.d + q] = gv[at + q]
                                }
                            }
                        }
                    }
                }
            ]
        }
    }
}

/// x viewed as [outer, size, inner, D] and its mask as [outer, size, inner].
struct MaskedLayout {
    let outer, size, inner, d: Int
    let inputShape, resultShape: [Int]
    /// Minimum outer rows per parallel chunk.
    let chunk: Int

    init(_ x: Tensor, mask: Tensor, axis: Int, op: String) {
        guard x.rank >= 2, mask.shape == Array(x.shape.dropLast()) else {
            shapeFailure(
                ShapeError(
                    op: op,
                    "mask \(Shape.describe(mask.shape)) must be the shape of \(Shape.describe(x.shape)) without its last axis"
                ))
        }
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: mask.rank, op: op) }
        let (outer, size, inner) = Shape.around(mask.shape, axis: a)
        self.outer = outer
        self.size = size
        self.inner = inner
        d = x.shape.last!
        inputShape = x.shape
        var result = x.shape
        result.remove(at: a)
        resultShape = result
        chunk = Swift.max(1, Tensor.parallelChunk / Swift.max(size * inner * d, 1))
    }
}
