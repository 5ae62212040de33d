import Autograd
import HOIData
import NN

/// h0[b,t,n] = ReLU(W_in · [features ; φ(boxes)] + b_in + E[category]) · mask[b,t,n].
public final class NodeEncoder: Module {
    public let input: Linear
    public let category: Embedding

    init(config: ModelConfig, generator: inout SeededGenerator) {
        input = Linear(inFeatures: config.features + GraphInputs.nodeGeometrySize, outFeatures: config.hidden, generator: &generator)
        category = Embedding(count: config.categories, dimension: config.hidden, generator: &generator)
    }

    public var children: [(name: String, child: ModuleChild)] {
        [("input", .module(input)), ("category", .module(category))]
    }

    /// [B, T, N, D]
    func callAsFunction(_ batch: Batch, graphs: GraphInputs) -> Tensor {
        let x = Tensor.concat([batch.features, graphs.nodeGeometry], axis: -1)
        let perEntity = category(batch.categories, shape: [batch.size, batch.entities]).unsqueezed(axis: 1)
        return (input(x) + perEntity).relu() * batch.mask.unsqueezed(axis: -1)
    }
}
