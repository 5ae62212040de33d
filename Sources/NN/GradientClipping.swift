import Autograd

/// Scales all gradients together so that their global L2 norm is at most `maxNorm`
/// (as `torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { for v in $0 { total += Double(v) * Double(v) } }
    }
    let norm = Float(total.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for p in parameters {
            guard let g = p.grad else { continue }
            p.setGrad(g.map { $0 * coefficient })
        }
    }
    return norm
}
