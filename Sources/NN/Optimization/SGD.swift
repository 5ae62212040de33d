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
        let (spans, gradients) = UpdatePass.spans(parameters, slots: &slots)
        withExtendedLifetime(gradients) {
            UpdatePass.run(spans) { span, range in
                let (w, g, buf) = (span.values, span.gradient, span.state[0])
                for j in range {
                    var d = g[j] * gradientScale + wd * w[j]
                    if mu != 0 {
                        // A new buffer is zero, so its first value is d: PyTorch's start.
                        buf[j] = mu * buf[j] + d
                        d = buf[j]
                    }
                    w[j] -= lr * d
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
