import Autograd
import NN
import Settings

/// A kind of graph layer the two graphs can be built from (`--graph-layer` names it).
public protocol GraphLayerKind: Named {
    /// A fresh layer for node states of `dimension` and edges of `edgeDimension` features.
    static func make(
        dimension: Int, heads: Int, edgeDimension: Int, attentionDropout: Float,
        generator: inout SeededGenerator
    ) -> any GraphLayer
}

extension Catalogues {
    /// Every graph layer the model can use, by `--graph-layer` name. A new layer is one file (a
    /// `GraphLayer` and its `GraphLayerKind`) and one line here.
    public static let graphLayers = Catalogue<any GraphLayerKind.Type>(
        option: "--graph-layer",
        [
            GraphAttentionKind.self,
            MeanAggregationKind.self,
        ])
}

extension GraphLayerStack {
    /// `count` layers of kind `name` (known: the configuration was validated).
    static func make(
        _ name: String, count: Int, config: ModelConfig, edgeDimension: Int,
        generator: inout SeededGenerator
    ) -> GraphLayerStack {
        let kind = Catalogues.graphLayers.entry(named: name) ?? GraphAttentionKind.self
        return GraphLayerStack(
            (0..<count).map { _ in
                kind.make(
                    dimension: config.hidden, heads: config.heads, edgeDimension: edgeDimension,
                    attentionDropout: config.attentionDropout ?? config.dropout, generator: &generator)
            })
    }
}

/// `gat`: the graph attention layer of docs/MODEL.md (multi-head, with edge features,
/// residual and ELU), run as one fused kernel compiled for GLIDN's shapes.
public enum GraphAttentionKind: GraphLayerKind {
    public static let name = "gat"
    public static let summary = "graph attention with edge features, a residual and ELU (docs/MODEL.md)"

    public static func make(
        dimension: Int, heads: Int, edgeDimension: Int, attentionDropout: Float,
        generator: inout SeededGenerator
    ) -> any GraphLayer {
        GraphAttention(
            dimension: dimension, heads: heads, edgeDimension: edgeDimension, attentionDropout: attentionDropout,
            kernels: AttentionShapes.kernels, generator: &generator)
    }
}
