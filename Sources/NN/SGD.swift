import Autograd

/// Stochastic gradient descent with momentum and weight decay, as `torch.optim.SGD`.
public final class SGD: Optimizer {
    public let parameters: [(name: String, parameter: Parameter)]
    public let momentum: Float
    public let weightDecay: Float
    public private(set) var steps = 0
    private var slots: [OptimizerSlot]

    public init(parameters: [(name: String, parameter: Parameter)], momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.momentum = momentum
        self.weightDecay = weightDecay
        slots = [OptimizerSlot(kind: "momentum_buffer", count: parameters.count)]
    }

    public func step(learningRate lr: Float, gradientScale: Float) {
        steps += 1
        let (mu, wd) = (momentum, weightDecay)
        for (i, (_, p)) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            // PyTorch starts each momentum buffer at the parameter's first gradient.
            let fresh = slots[0].buffers[i] == nil
            slots[0].prepare(i, shape: p.shape)
            g.withUnsafeBufferPointer { gv in
                slots[0].buffers[i]!.withUnsafeMutableBufferPointer { buf in
                    p.update { w in
                        for j in 0..<w.count {
                            var d = gv[j] * gradientScale + wd * w[j]
                            if mu != 0 {
                                buf[j] = fresh ? d : mu * buf[j] + d
                                d = buf[j]
                            }
                            w[j] -= lr * d
                        }
                    }
                }
            }
        }
    }

    public func state() -> [String: Tensor] {
        OptimizerState.save(steps: steps, slots: slots, names: parameters.map(\.name))
    }

    public func load(state: [String: Tensor]) throws(StateLoadingError) {
        steps = try OptimizerState.load(state, into: &slots, parameters: parameters, source: "SGD state")
    }
}
