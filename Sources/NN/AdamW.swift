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
    // Two properties, not an array: the update writes both at once.
    private var firstMoments: OptimizerSlot
    private var secondMoments: OptimizerSlot

    public init(parameters: [(name: String, parameter: Parameter)], beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 1e-2) {
        self.parameters = parameters
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = OptimizerSlot(kind: "exp_avg", count: parameters.count)
        secondMoments = OptimizerSlot(kind: "exp_avg_sq", count: parameters.count)
    }

    public func step(learningRate lr: Float, gradientScale: Float) {
        steps += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(steps)))
        let root2 = Float(Foundation.sqrt(1 - Foundation.pow(Double(beta2), Double(steps))))
        let stepSize = lr / correction1
        let (b1, b2, eps, decay) = (beta1, beta2, epsilon, 1 - lr * weightDecay)
        for (i, (_, p)) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            firstMoments.prepare(i, shape: p.shape)
            secondMoments.prepare(i, shape: p.shape)
            g.withUnsafeBufferPointer { gv in
                firstMoments.buffers[i]!.withUnsafeMutableBufferPointer { m in
                    secondMoments.buffers[i]!.withUnsafeMutableBufferPointer { v in
                        p.update { w in
                            let q = UnsafeSendable((gv.baseAddress!, m.baseAddress!, v.baseAddress!, w.baseAddress!))
                            Parallel.forEachChunk(count: w.count, minimumChunk: Tensor.parallelChunk) { range in
                                let (gp, mp, vp, wp) = q.value
                                for j in range {
                                    let gj = gp[j] * gradientScale
                                    mp[j] = b1 * mp[j] + (1 - b1) * gj
                                    vp[j] = b2 * vp[j] + (1 - b2) * gj * gj
                                    wp[j] = wp[j] * decay - stepSize * mp[j] / (vp[j].squareRoot() / root2 + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public func state() -> [String: Tensor] {
        OptimizerState.save(steps: steps, slots: [firstMoments, secondMoments], names: parameters.map(\.name))
    }

    public func load(state: [String: Tensor]) throws(StateLoadingError) {
        var slots = [firstMoments, secondMoments]
        steps = try OptimizerState.load(state, into: &slots, parameters: parameters, source: "AdamW state")
        (firstMoments, secondMoments) = (slots[0], slots[1])
    }
}
