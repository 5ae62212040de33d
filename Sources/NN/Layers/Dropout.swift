import Autograd

/// Dropout that is active only in training, drawing from the context's generator.
public struct Dropout {
    public let probability: Float

    public init(probability: Float) {
        require(probability >= 0 && probability < 1, "Dropout: probability \(probability) is outside [0, 1)")
        self.probability = probability
    }

    public func callAsFunction(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard context.isTraining, probability > 0 else { return x }
        return x.dropout(probability: probability, generator: &context.generator)
    }
}
