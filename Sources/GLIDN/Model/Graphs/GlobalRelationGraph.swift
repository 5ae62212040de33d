import Autograd
import NN
import Settings

/// One graph per clip over all its entities, whose node inputs summarise each entity
/// over the frames it is visible in and whose edges summarise how two entities
/// co-occur (including when), then L_global attention layers.
public final class GlobalRelationGraph: Module {
    public let input: Linear
    public let layers: GraphLayerStack

    init(config: ModelConfig, generator: inout SeededGenerator) {
        input = Linear(inFeatures: 2 * config.hidden, outFeatures: config.hidden, generator: &generator)
        layers = GraphLayerStack.make(
            config.graphLayer, count: config.globalLayers, config: config,
            edgeDimension: GraphInputs.globalEdgeSize(config.temporalContext), generator: &generator)
    }

    public var children: [(name: String, child: ModuleChild)] {
        [("input", .module(input))] + layers.children
    }

    /// The encoder's output h0 [B, T, N, D] and the visibility mask [B, T, N] → the graph's
    /// input g0 and output hG [B, S·N, D], with each layer's attention.
    func callAsFunction(_ encoded: Tensor, mask: Tensor, graphs: GraphInputs, context: inout ForwardContext)
        -> (input: Tensor, states: Tensor, attention: [Tensor], lastInput: Tensor)
    {
        // [B, S·N, 2D]
        let summary = MaskedPooling.meanAndMaxPerSegment(encoded, mask: mask, segments: graphs.segments)
        let g0 = input(summary).reluMasked(rows: graphs.entityMask)
        let (hG, attention, lastInput) = layers(
            g0, adjacency: graphs.globalAdjacency, edges: graphs.globalEdges,
            nodeMask: graphs.entityMask, context: &context)
        return (g0, hG, attention, lastInput)
    }

    /// The last layer's attention [B, S·N, S·N, H] recomputed from its input states as a
    /// differentiable tensor (the fused kernel returns α as a plain value).
    func lastAttention(input: Tensor, graphs: GraphInputs) -> Tensor? {
        layers.layers.last?.attentionWeights(input, adjacency: graphs.globalAdjacency, edges: graphs.globalEdges)
    }
}
