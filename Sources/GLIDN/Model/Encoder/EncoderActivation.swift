import Autograd

/// ReLU(x + e[b, n] + bias) · mask[b, t, n] · dropout as one fused op over x [B, T, N, D], with
/// e [B, N, D] added in every frame and the dropout multipliers computed inline from the
/// draw (none stored). `EncoderActivation+Composition` spells it in plain ops.
enum EncoderActivation {
    static func apply(_ x: Tensor, perEntity e: Tensor, bias: Tensor, mask: Tensor, dropout: DropoutDraw?) -> Tensor {
        let (b, t, n, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        require(
            e.shape == [b, n, d] && bias.shape == [d] && mask.shape == [b, t, n],
            "encoder activation: x \(Shape.describe(x.shape)), per-entity \(Shape.describe(e.shape)), bias \(Shape.describe(bias.shape)), mask \(Shape.describe(mask.shape))"
        )
        if KernelMode.usesPlainOps { return composed(x, perEntity: e, bias: bias, mask: mask, dropout: dropout) }
        let rows = b * t * n
        let value = Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { xv in
                e.withUnsafeBufferPointer { ev in
                    bias.withUnsafeBufferPointer { bv in
                        mask.withUnsafeBufferPointer { mv in
                            let p = UnsafeSendable(
                                (out.baseAddress!, xv.baseAddress!, ev.baseAddress!, mv.baseAddress!, bv.baseAddress!))
                            Parallel.forEachChunk(count: rows, minimumChunk: max(1, Tensor.parallelChunk / max(d, 1))) {
                                range in
                                let (o, xp, ep, mp, bp) = p.value
                                for r in range {
                                    let (clip, entity) = (r / (t * n), r % n)
                                    let (orow, xrow, erow) = (o + r * d, xp + r * d, ep + (clip * n + entity) * d)
                                    let m = mp[r]
                                    if let dropout {
                                        // Wrapping index arithmetic: an overflow check here would stop the loop vectorising.
                                        let base = r &* d
                                        for c in 0..<d {
                                            orow[c] =
                                                max(xrow[c] + erow[c] + bp[c], 0) * m * dropout.multiplier(base &+ c)
                                        }
                                    } else {
                                        for c in 0..<d { orow[c] = max(xrow[c] + erow[c] + bp[c], 0) * m }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let (needE, needBias) = (e.requiresGrad, bias.requiresGrad)
        let scale = dropout?.scale ?? 1
        return Tensor.record(value, inputs: [x, e, bias]) { g in
            // The output is positive exactly where the gradient passes: ReLU open, mask 1
            // and the element kept, whose multiplier is then the dropout scale.
            let dx = Tensor(shape: x.shape) { dxv in
                g.withUnsafeBufferPointer { gv in
                    value.withUnsafeBufferPointer { ov in
                        let p = UnsafeSendable((dxv.baseAddress!, gv.baseAddress!, ov.baseAddress!))
                        Parallel.forEachChunk(count: dxv.count, minimumChunk: Tensor.parallelChunk) { range in
                            let (dp, gp, op) = p.value
                            for i in range { dp[i] = gp[i] * (op[i] > 0 ? scale : 0) }
                        }
                    }
                }
            }
            var de: Tensor?
            if needE || needBias {
                // Sum over frames: clips are independent, so they split over the cores.
                de = Tensor(shape: [b, n, d]) { dev in
                    dx.withUnsafeBufferPointer { dxv in
                        let p = UnsafeSendable((dev.baseAddress!, dxv.baseAddress!))
                        Parallel.forEachChunk(count: b, minimumChunk: 1) { clips in
                            let (dp, xp) = p.value
                            for clip in clips {
                                let target = dp + clip * n * d
                                for q in 0..<(n * d) { target[q] = 0 }
                                for frame in 0..<t {
                                    let source = xp + (clip * t + frame) * n * d
                                    for q in 0..<(n * d) { target[q] += source[q] }
                                }
                            }
                        }
                    }
                }
            }
            // The bias gradient: the per-entity sums, summed.
            let dBias = needBias ? de!.reshaped([b * n, d]).sum(axis: 0) : nil
            return [dx, needE ? de : nil, dBias]
        }
    }
}
