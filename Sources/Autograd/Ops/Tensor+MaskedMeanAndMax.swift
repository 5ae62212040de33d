extension Tensor {
    /// [maskedMean ; maskedMax] over `axis`, joined on the last axis ([..., 2D]), in one op:
    /// one pass reads x for both, and the gradient of x is written once (the mean's share
    /// everywhere, plus the max's at the winning positions) instead of as two full-size
    /// tensors that the tape then adds. It equals the concatenation of the two ops, values
    /// and gradient, bit for bit (the tests check it).
    public func maskedMeanAndMax(axis: Int, mask: Tensor) -> Tensor {
        if KernelMode.usesPlainOps { return composedMaskedMeanAndMax(axis: axis, mask: mask) }
        let l = MaskedLayout(self, mask: mask, axis: axis, op: "maskedMeanAndMax")
        let d = l.d
        var resultShape = l.resultShape
        resultShape[resultShape.count - 1] = 2 * d
        // Per pooled row: max(visible count, 1); per pooled element: the winning position or -1.
        var counts = [Float](repeating: 0, count: l.outer * l.inner)
        var winners = [Int32](repeating: -1, count: l.outer * l.inner * d)
        let value = Tensor(shape: resultShape) { out in
            withUnsafeBufferPointer { x in
                mask.withUnsafeBufferPointer { m in
                    counts.withUnsafeMutableBufferPointer { c in
                        winners.withUnsafeMutableBufferPointer { wv in
                            let p = UnsafeSendable(
                                (out.baseAddress!, x.baseAddress!, m.baseAddress!, c.baseAddress!, wv.baseAddress!))
                            Parallel.forEachChunk(count: l.outer, minimumChunk: l.chunk) { range in
                                let (o, xv, mv, cv, win) = p.value
                                for outer in range {
                                    for i in 0..<l.inner {
                                        let row = outer * l.inner + i
                                        let (mean, best, winner) = (o + row * 2 * d, o + row * 2 * d + d, win + row * d)
                                        for q in 0..<d { (mean[q], best[q]) = (0, 0) }
                                        var count: Float = 0
                                        for s in 0..<l.size {
                                            let w = mv[(outer * l.size + s) * l.inner + i]
                                            guard w != 0 else { continue }
                                            count += w
                                            let src = xv + ((outer * l.size + s) * l.inner + i) * d
                                            let position = Int32(s)
                                            // Selects on values, not branches, so that the loop vectorises.
                                            for q in 0..<d {
                                                mean[q] += w * src[q]
                                                let better = winner[q] < 0 || src[q] > best[q]
                                                best[q] = better ? src[q] : best[q]
                                                winner[q] = better ? position : winner[q]
                                            }
                                        }
                                        let r = 1 / Swift.max(count, 1)
                                        for q in 0..<d { mean[q] *= r }
                                        cv[row] = Swift.max(count, 1)
                                    }
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
                                winners.withUnsafeBufferPointer { wv in
                                    let p = UnsafeSendable(
                                        (
                                            dx.baseAddress!, gv.baseAddress!, m.baseAddress!, c.baseAddress!,
                                            wv.baseAddress!
                                        ))
                                    Parallel.forEachChunk(count: l.outer, minimumChunk: l.chunk) { range in
                                        let (dp, gp, mp, cp, win) = p.value
                                        for outer in range {
                                            for s in 0..<l.size {
                                                let position = Int32(s)
                                                for i in 0..<l.inner {
                                                    let row = outer * l.inner + i
                                                    let w = mp[(outer * l.size + s) * l.inner + i] / cp[row]
                                                    let dst = dp + ((outer * l.size + s) * l.inner + i) * d
                                                    let (gMean, gMax, winner) = (
                                                        gp + row * 2 * d, gp + row * 2 * d + d, win + row * d
                                                    )
                                                    for q in 0..<d {
                                                        dst[q] = w * gMean[q] + (winner[q] == position ? gMax[q] : 0)
                                                    }
                                                }
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
}
