import Autograd
import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter), as `torch.optim.AdamW`.
public final class AdamW: Optimizer {
    public let parameters: [(name: String, parameter: Parameter)]
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public private(set) var steps = 0
    /// exp_avg and exp_avg_sq.
    private var slots: [OptimizerSlot]

    public init(
        parameters: [(name: String, parameter: Parameter)], beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 1e-2
    ) {
        self.parameters = parameters
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        slots = [
            OptimizerSlot(kind: "exp_avg", count: parameters.count),
            OptimizerSlot(kind: "exp_avg_sq", count: parameters.count),
        ]
    }

    public func step(learningRate lr: Float, gradientScale: Float) {
        steps += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(steps)))
        let root2 = Float(Foundation.sqrt(1 - Foundation.pow(Double(beta2), Double(steps))))
        let stepSize = lr / correction1
        let (b1, b2, eps, decay) = (beta1, beta2, epsilon, 1 - lr * weightDecay)
        let (spans, gradients) = UpdatePass.spans(parameters, slots: &slots)
        withExtendedLifetime(gradients) {
            UpdatePass.run(spans) { span, range in
                let (w, g, m, v) = (span.values, span.gradient, span.state[0], span.state[1])
                // Sixteen lanes at a time, spelled out: the four buffers could alias as far as
                // the compiler knows, so it would not vectorise the loop itself. Each lane does
                // exactly the scalar arithmetic of the tail loop.
                var j = range.lowerBound
                while j &+ 16 <= range.upperBound {
                    let gj = SIMD16<Float>(UnsafeBufferPointer(start: g + j, count: 16)) * gradientScale
                    let mj = b1 * SIMD16<Float>(UnsafeBufferPointer(start: m + j, count: 16)) + (1 - b1) * gj
                    let vj = b2 * SIMD16<Float>(UnsafeBufferPointer(start: v + j, count: 16)) + (1 - b2) * gj * gj
                    let wj =
                        SIMD16<Float>(UnsafeBufferPointer(start: w + j, count: 16)) * decay
                        - stepSize * mj / (VectorMath.squareRoot(vj) / root2 + eps)
                    UnsafeMutableRawPointer(m + j).storeBytes(of: mj, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(v + j).storeBytes(of: vj, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(w + j).storeBytes(of: wj, as: SIMD16<Float>.self)
                    j &+= 16
                }
                while j < range.upperBound {
                    let gj = g[j] * gradientScale
                    m[j] = b1 * m[j] + (1 - b1) * gj
                    v[j] = b2 * v[j] + (1 - b2) * gj * gj
                    w[j] = w[j] * decay - stepSize * m[j] / (v[j].squareRoot() / root2 + eps)
                    j &+= 1
                }
            }
        }
    }

    public func state() -> [String: Tensor] {
        OptimizerState.save(steps: steps, slots: slots, names: parameters.map(\.name))
    }

    public func load(state: [String: Tensor]) throws(StateLoadingError) {
        steps = try OptimizerState.load(state, into: &slots, parameters: parameters, source: "AdamW state")
    }
}
