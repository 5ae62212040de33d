/// The masked reductions as plain compositions of basic ops: what `maskedMean`,
/// `maskedMax` and `maskedMeanAndMax` compute, written as the mathematics. The tests hold
/// the fused ops to these; `GLIDN_KERNELS=plain` runs them instead.
extension Tensor {
    /// Σ_s mask · x / max(Σ_s mask, 1) over `axis`.
    func composedMaskedMean(axis: Int, mask: Tensor) -> Tensor {
        let counts = mask.detached().sum(axis: axis).map { Swift.max($0, 1) }
        return (self * mask.detached().unsqueezed(axis: -1)).sum(axis: axis) / counts.unsqueezed(axis: -1)
    }

    /// The maximum over the kept positions of `axis` (hidden ones filled with -∞ first), 0
    /// where none is kept.
    func composedMaskedMax(axis: Int, mask: Tensor) -> Tensor {
        let keep = mask.detached()
        let hidden = keep.map { $0 == 0 ? 1 : 0 }.unsqueezed(axis: -1)
        let best = maskedFill(where: hidden, with: -.infinity).max(axis: axis).values
        let any = keep.sum(axis: axis).map { $0 > 0 ? 1 : 0 }.unsqueezed(axis: -1)
        return Tensor.select(any, best, Tensor.zeros(best.shape))
    }

    /// [maskedMean ; maskedMax] joined on the last axis.
    func composedMaskedMeanAndMax(axis: Int, mask: Tensor) -> Tensor {
        Tensor.concat([maskedMean(axis: axis, mask: mask), maskedMax(axis: axis, mask: mask)], axis: -1)
    }
}

extension Tensor {
    /// ReLU(x) · mask over rows, as two ops.
    func composedReluMasked(rows mask: Tensor) -> Tensor {
        relu() * mask.detached().unsqueezed(axis: -1)
    }

    /// The linear map of the inputs joined on their last axis, by joining them first.
    static func composedLinear(concatenating inputs: [Tensor], weight: Tensor, bias: Tensor?) -> Tensor {
        linear(concatenating: [concat(inputs, axis: -1)], weight: weight, bias: bias)
    }
}
