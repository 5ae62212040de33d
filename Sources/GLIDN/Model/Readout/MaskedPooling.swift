import Autograd

/// Means and maxima over the positions a mask keeps (frames where an entity is
/// visible, entities that exist), 0 where the mask keeps nothing.
enum MaskedPooling {
    /// x [..., S, ..., D] pooled over `axis` (size S); `mask` has x's shape without D.
    static func mean(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
        x.maskedMean(axis: axis, mask: mask)
    }

    /// [mean ; max] along `axis`, joined on the feature axis (one fused op).
    static func meanAndMax(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
        x.maskedMeanAndMax(axis: axis, mask: mask)
    }

    /// x [B, T, N, D] with T = S·k frames, k per segment → the mean over each segment's
    /// visible frames, per (segment, entity) node: [B, S·N, D].
    static func meanPerSegment(_ x: Tensor, mask: Tensor, segments: Int) -> Tensor {
        let (b, t, n, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let k = t / segments
        return x.reshaped([b, segments, k, n, d]).maskedMean(axis: 2, mask: mask.reshaped([b, segments, k, n]))
            .reshaped([b, segments * n, d])
    }

    /// As `meanPerSegment`, [mean ; max]: [B, S·N, 2D].
    static func meanAndMaxPerSegment(_ x: Tensor, mask: Tensor, segments: Int) -> Tensor {
        let (b, t, n, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let k = t / segments
        return x.reshaped([b, segments, k, n, d]).maskedMeanAndMax(axis: 2, mask: mask.reshaped([b, segments, k, n]))
            .reshaped([b, segments * n, 2 * d])
    }
}
