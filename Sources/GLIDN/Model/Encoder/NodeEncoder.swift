import Autograd
import HOIData
import NN

/// h0[b,t,n] = ReLU(W_in · [features ; φ(boxes)] + b_in + E[category]) · mask[b,t,n],
/// followed by dropout in training.
public final class NodeEncoder: Module {
    public let input: Linear
    public let category: Embedding
    let dropout: Dropout

    init(config: ModelConfig, generator: inout SeededGenerator) {
        input = Linear(
            inFeatures: config.features + GraphInputs.nodeGeometrySize, outFeatures: config.hidden,
            generator: &generator)
        category = Embedding(count: config.categories, dimension: config.hidden, generator: &generator)
        dropout = Dropout(probability: config.dropout)
    }

    public var children: [(name: String, child: ModuleChild)] {
        [("input", .module(input)), ("category", .module(category))]
    }

    /// [B, T, N, D]; in training, after dropout.
    public func callAsFunction(_ batch: Batch, graphs: GraphInputs, context: inout ForwardContext) -> Tensor {
        // W_in · [features ; φ] without building the concatenation (F may be 2048 wide).
        // The bias is added in the activation, whose backward gets its gradient from the
        // per-entity sums it forms anyway.
        let projected = Tensor.linear(
            concatenating: [batch.features, graphs.nodeGeometry], weight: input.weight.value, bias: nil)
        let perEntity = category(batch.categories, shape: [batch.size, batch.entities])
        var draw: DropoutDraw?
        if context.isTraining && dropout.probability > 0 {
            draw = DropoutDraw(probability: dropout.probability, generator: &context.generator)
        }
        let bias = input.bias?.value ?? Tensor.zeros([input.outFeatures])
        return EncoderActivation.apply(projected, perEntity: perEntity, bias: bias, mask: batch.mask, dropout: draw)
    }
}
