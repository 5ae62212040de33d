import Autograd
import NN
import Settings

/// One graph per frame over the entities visible in it; all B·T frame graphs run as one
/// batch of dense graphs through L_local attention layers.
public final class LocalContextGraphs: Module {
    public let layers: GraphLayerStack

    init(config: ModelConfig, generator: inout SeededGenerator) {
        layers = GraphLayerStack.make(
            config.graphLayer, count: config.localLayers, config: config,
            edgeDimension: GraphInputs.localEdgeSize, generator: &generator)
    }

    public var children: [(name: String, child: ModuleChild)] { layers.children }

    /// h0 [B, T, N, D] → hL [B, T, N, D], with each layer's attention [B·T, N, N, H] and the
    /// last layer's input states [B·T, N, D].
    func callAsFunction(_ h0: Tensor, graphs: GraphInputs, context: inout ForwardContext) -> (Tensor, [Tensor], Tensor)
    {
        let shape = h0.shape
        let (h, attention, lastInput) = layers(
            h0.reshaped([shape[0] * shape[1], shape[2], shape[3]]), adjacency: graphs.localAdjacency,
            edges: graphs.localEdges, nodeMask: graphs.frameMask, context: &context)
        return (h.reshaped(shape), attention, lastInput)
    }

    /// The last layer's attention [B·T, N, N, H] recomputed from its input states [B·T, N, D]
    /// as a differentiable tensor (the fused kernel returns α as a plain value).
    func lastAttention(input: Tensor, graphs: GraphInputs) -> Tensor? {
        layers.layers.last?.attentionWeights(input, adjacency: graphs.localAdjacency, edges: graphs.localEdges)
    }
}
