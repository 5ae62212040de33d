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
        var slope = Tensor(shape: h.shape, repeating: 0)
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
            // One pass writes dx = g · mask · ELU', its column sums (dbias) and dh = g · mask.
            var dBias = [Float](repeating: 0, count: d)
            var dh: Tensor?
            let dx = Tensor(shape: h.shape) { dxv in
                g.withUnsafeBufferPointer { gv in
                    slope.withUnsafeBufferPointer { sv in
                        weights.withUnsafeBufferPointer { mv in
                            func sweep(_ dhv: UnsafeMutableBufferPointer<Float>?) {
                                for r in 0..<rows {
                                    let m = mv[r]
                                    for c in 0..<d {
                                        let i = r * d + c
                                        let v = gv[i] * sv[i]
                                        dxv[i] = v
                                        dBias[c] += v
                                        dhv?[i] = gv[i] * m
                                    }
                                }
                            }
                            if needH {
                                dh = Tensor(shape: h.shape) { sweep($0) }
                            } else {
                                sweep(nil)
                            }
                        }
                    }
                }
            }
            return [dh, needX ? dx : nil, needBias ? Tensor(shape: [d], values: dBias) : nil]
        }
    }
}
