import Autograd

/// The global L2 norm of all the parameters' gradients.
public func gradientNorm(_ parameters: [Parameter]) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        total += g.withUnsafeBufferPointer { Double(VectorMath.dot($0.baseAddress!, $0.baseAddress!, $0.count)) }
    }
    return Float(total.squareRoot())
}

/// The factor that brings a gradient norm down to `maxNorm` (1 when it is already
/// below), as `torch.nn.utils.clip_grad_norm_` computes it.
public func clippingScale(norm: Float, maxNorm: Float) -> Float {
    min(1, maxNorm / (norm + 1e-6))
}

/// Scales all gradients together so that their global L2 norm is at most `maxNorm`
/// (as `torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    let norm = gradientNorm(parameters)
    let coefficient = clippingScale(norm: norm, maxNorm: maxNorm)
    if coefficient < 1 {
        for p in parameters {
            guard let g = p.grad else { continue }
            p.setGrad(g.map { $0 * coefficient })
        }
    }
    return norm
}
