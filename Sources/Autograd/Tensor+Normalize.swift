import Foundation

/// L2 normalisation and cosine similarity along an axis.
extension Tensor {
    /// x / max(‖x‖₂, eps) along `axis` (as PyTorch's `F.normalize`).
    public func l2Normalized(axis: Int = -1, eps: Float = 1e-12) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shape.axis(axis, rank: rank, op: "l2Normalized") }
        let norms = withoutGradients { square().sum(axis: a, keepDims: true) }.map { Swift.max(Foundation.sqrt($0), eps) }
        let value = Tensor.broadcastMap(self, norms, op: "l2Normalized", /)
        return Tensor.record(value, inputs: [self]) { g in
            // Inside the clamp, d(x/‖x‖) = (g - y·Σ(g·y)) / ‖x‖; where the norm is
            // clamped at eps the map is x/eps and the gradient is g/eps.
            let gy = Tensor.zipMap(g, value, *).sumValues(axis: a)
            let clampedRows = norms.map { $0 <= eps ? 1 : 0 }
            let s = Tensor.zipMap(gy, clampedRows) { s, c in c != 0 ? 0 : s }
            let centered = Tensor.zipMap(g, Tensor.broadcastMap(value, s, op: "l2Normalized", *), -)
            return [Tensor.broadcastMap(centered, norms, op: "l2Normalized", /)]
        }
    }

    /// Cosine similarity along `axis`: the dot product of the two L2-normalised
    /// vectors, each norm clamped at `eps` (PyTorch's `cosine_similarity`).
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, axis: Int = -1, eps: Float = 1e-8) -> Tensor {
        (a.l2Normalized(axis: axis, eps: eps) * b.l2Normalized(axis: axis, eps: eps)).sum(axis: axis)
    }
}
