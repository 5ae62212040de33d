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
}
