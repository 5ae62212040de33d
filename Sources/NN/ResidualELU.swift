import Autograd
import Foundation

/// The residual update of `GraphAttention` as one fused op:
/// (h + ELU(x + bias)) · mask, over rows of D values with one mask value per row.
/// Equal to the composition `(h + (x + bias).elu()) * mask.unsqueezed(axis: -1)`.
enum ResidualELU {
    /// h, x: [..., D]; bias: [D]; mask: h's shape without its last axis.
    static func apply(_ h: Tensor, update x: Tensor, bias: Tensor, mask: Tensor) -> Tensor {
        let d = h.shape.last ?? 0
        require(x.shape == h.shape && bias.shape == [d] && mask.shape == Array(h.shape.dropLast()),
                "residualELU: states \(Shape.describe(h.shape)), update \(Shape.describe(x.shape)), bias \(Shape.describe(bias.shape)), mask \(Shape.describe(mask.shape))")
        let rows = mask.count
        let chunk = max(1, Tensor.parallelChunk / max(d, 1))
        // mask · ELU'(x + bias) per element, saved for backward.
        var slope = Tensor.uninitialized(h.shape)
        let value = Tensor(shape: h.shape) { out in
            h.withUnsafeBufferPointer { hv in
                x.withUnsafeBufferPointer { xv in
                    bias.withUnsafeBufferPointer { bv in
                        mask.withUnsafeBufferPointer { mv in
                            slope.withUnsafeMutableBufferPointer { sv in
                                let p = UnsafeSendable((out.baseAddress!, hv.baseAddress!, xv.baseAddress!, bv.baseAddress!, mv.baseAddress!, sv.baseAddress!))
                                Parallel.forEachChunk(count: rows, minimumChunk: chunk) { range in
                                    let (o, hp, xp, bp, mp, sp) = p.value
                                    for r in range {
                                        let m = mp[r]
                                        let (orow, hrow, xrow, srow) = (o + r * d, hp + r * d, xp + r * d, sp + r * d)
                                        for c in 0..<d {
                                            let a = xrow[c] + bp[c]
                                            let e = FastMath.exp(min(a, 0))
                                            let positive = a > 0
                                            orow[c] = (hrow[c] + (positive ? a : e - 1)) * m
                                            srow[c] = (positive ? 1 : e) * m
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let weights = mask.detached()
        let (needH, needX, needBias) = (h.requiresGrad, x.requiresGrad, bias.requiresGrad)
        return Tensor.record(value, inputs: [h, x, bias]) { g in
            // One pass writes dx = g · mask · ELU', dh = g · mask and per-chunk column sums
            // of dx (dbias), rows split over the cores.
            let chunks = max(1, min(Parallel.workers, rows / chunk))
            var partialBias = [Float](repeating: 0, count: chunks * d)
            var dh: Tensor?
            let dx = Tensor(shape: h.shape) { dxv in
                func sweep(_ dhv: UnsafeMutablePointer<Float>?) {
                    g.withUnsafeBufferPointer { gv in
                        slope.withUnsafeBufferPointer { sv in
                            weights.withUnsafeBufferPointer { mv in
                                partialBias.withUnsafeMutableBufferPointer { pb in
                                    let p = UnsafeSendable((dxv.baseAddress!, dhv, gv.baseAddress!, sv.baseAddress!, mv.baseAddress!, pb.baseAddress!))
                                    Parallel.forEachNumberedChunk(count: rows, chunks: chunks) { c, range in
                                        let (dxp, dhp, gp, sp, mp, bp) = p.value
                                        let sums = bp + c * d
                                        for r in range {
                                            let m = mp[r]
                                            let (gr, sr, xr) = (gp + r * d, sp + r * d, dxp + r * d)
                                            for q in 0..<d {
                                                let v = gr[q] * sr[q]
                                                xr[q] = v
                                                sums[q] += v
                                            }
                                            if let dhp {
                                                let hr = dhp + r * d
                                                for q in 0..<d { hr[q] = gr[q] * m }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if needH {
                    dh = Tensor(shape: h.shape) { sweep($0.baseAddress!) }
                } else {
                    sweep(nil)
                }
            }
            var dBias = [Float](repeating: 0, count: d)
            for c in 0..<chunks {
                for q in 0..<d { dBias[q] += partialBias[c * d + q] }
            }
            return [dh, needX ? dx : nil, needBias ? Tensor(shape: [d], values: dBias) : nil]
        }
    }
}
