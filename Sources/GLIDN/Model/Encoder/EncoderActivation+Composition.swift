import Autograd

extension EncoderActivation {
    /// The activation as plain ops: ReLU(x + e[b, n] + bias) · mask[b, t, n], then the
    /// dropout draw's multipliers (the same draw the fused op computes inline).
    static func composed(_ x: Tensor, perEntity e: Tensor, bias: Tensor, mask: Tensor, dropout: DropoutDraw?) -> Tensor
    {
        let h = (x + e.unsqueezed(axis: 1) + bias).relu() * mask.detached().unsqueezed(axis: -1)
        guard let dropout else { return h }
        return h * Tensor.dropoutMask(h.shape, draw: dropout)
    }
}
