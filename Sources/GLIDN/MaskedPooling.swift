import Autograd

/// Means and maxima over the positions a mask keeps (frames where an entity is
/// visible, entities that exist), 0 where the mask keeps nothing.
enum MaskedPooling {
    /// x [..., S, ..., D] pooled over `axis` (size S); `mask` has x's shape without D.
    static func mean(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
        let weights = mask.unsqueezed(axis: -1)
        let counts = mask.sum(axis: axis).map { Swift.max($0, 1) }.unsqueezed(axis: -1)
        return (x * weights).sum(axis: axis) / counts
    }

    static func max(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
        let blocked = mask.map { $0 == 0 ? 1 : 0 }.unsqueezed(axis: -1)
        let best = x.maskedFill(where: blocked, with: -.infinity).max(axis: axis).values
        let any = mask.max(axis: axis).values.unsqueezed(axis: -1)
        return Tensor.select(any, best, Tensor.zeros(best.shape))
    }

    /// [mean ; max] along `axis`, joined on the feature axis.
    static func meanAndMax(_ x: Tensor, mask: Tensor, axis: Int) -> Tensor {
        Tensor.concat([mean(x, mask: mask, axis: axis), max(x, mask: mask, axis: axis)], axis: -1)
    }
}
