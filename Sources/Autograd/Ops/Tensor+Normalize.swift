import Foundation

/// L2 normalisation and cosine similarity along an axis.
extension Tensor {
    /// x / max(‖x‖₂, eps) along `axis` (as PyTorch's `F.normalize`). One pass per vector
    /// forward and one backward; the norms are summed in double precision.
    public func l2Normalized(axis: Int = -1, eps: Float = 1e-12) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "l2Normalized") }
        let (outer, size, inner) = Shape.around(shape, axis: a)
        // The clamped norm of each vector, [outer · inner].
        var norms = [Float](repeating: 0, count: outer * inner)
        let value = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o &* size &* inner &+ i
                        var total: Double = 0
                        for s in 0..<size {
                            let v = Double(x[base &+ s &* inner])
                            total += v * v
                        }
                        let norm = Swift.max(Float(total.squareRoot()), eps)
                        norms[o &* inner &+ i] = norm
                        for s in 0..<size { out[base &+ s &* inner] = x[base &+ s &* inner] / norm }
                    }
                }
            }
        }
        return Tensor.record(value, inputs: [self]) { g in
            // Inside the clamp, d(x/‖x‖) = (g - y·Σ(g·y)) / ‖x‖; where the norm is
            // clamped at eps the map is x/eps and the gradient is g/eps.
            [
                Tensor.rowwise(g, value, axis: a) { gv, y, vector, base, size, inner, dx in
                    let norm = norms[vector]
                    var dot: Float = 0
                    if norm > eps {
                        for s in 0..<size { dot += gv[base &+ s &* inner] * y[base &+ s &* inner] }
                    }
                    for s in 0..<size {
                        let at = base &+ s &* inner
                        dx[at] = (gv[at] - y[at] * dot) / norm
                    }
                }
            ]
        }
    }

    /// Cosine similarity along `axis`: the dot product of the two L2-normalised
    /// vectors, each norm clamped at `eps` (PyTorch's `cosine_similarity`).
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, axis: Int = -1, eps: Float = 1e-8) -> Tensor {
        (a.l2Normalized(axis: axis, eps: eps) * b.l2Normalized(axis: axis, eps: eps)).sum(axis: axis)
    }
}
