import Autograd
import Foundation
import NN

/// `mean`: a graph layer without attention, after GraphSAGE's mean aggregator (Hamilton et al.
/// 2017), as a baseline for the attention layer and the model of a new layer (one file and
/// one line in `Catalogues.graphLayers`). For node states h_i, adjacency A and node mask m:
///
///     a_ij = A_ij / max(1, Σ_j A_ij)                (the mean over the senders)
///     o_i  = W h_i + U Σ_j a_ij h_j + b
///     h_i' = (h_i + ELU(o_i)) · m_i
///
/// Edge features are not used; the weights it returns are a, as one head. Built from Autograd
/// ops (each tested against finite differences), so it needs no kernel of its own.
public final class MeanAggregationLayer: GraphLayer {
    public let weight: Parameter
    public let neighbour: Parameter
    public let bias: Parameter

    public init(dimension: Int, generator: inout SeededGenerator) {
        let bound = Float(Foundation.sqrt(6.0 / Double(2 * dimension)))
        weight = Parameter(.randomUniform([dimension, dimension], low: -bound, high: bound, generator: &generator))
        neighbour = Parameter(.randomUniform([dimension, dimension], low: -bound, high: bound, generator: &generator))
        bias = Parameter(.zeros([dimension]))
    }

    public var children: [(name: String, child: ModuleChild)] {
        [("weight", .parameter(weight)), ("neighbour", .parameter(neighbour)), ("bias", .parameter(bias))]
    }

    public func callAsFunction(
        _ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, context: inout ForwardContext
    )
        -> (states: Tensor, attention: Tensor)
    {
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        require(
            d == weight.shape[0] && adjacency.shape == [g, n, n] && nodeMask.shape == [g, n],
            "MeanAggregationLayer: states \(Shape.describe(h.shape)), adjacency \(Shape.describe(adjacency.shape)), mask \(Shape.describe(nodeMask.shape)) for dimension \(weight.shape[0])"
        )
        return aggregate(h, senders: h, adjacency: adjacency, mask: nodeMask)
    }

    /// R receivers h [G, R, D] hearing M senders [G, M, D] (adjacency [G, R, M]).
    func aggregate(_ h: Tensor, senders: Tensor, adjacency: Tensor, mask: Tensor) -> (states: Tensor, attention: Tensor)
    {
        let count = adjacency.sum(axis: -1, keepDims: true).map { max($0, 1) }
        let weights = adjacency / count  // [G, R, M], constant
        let gathered = Tensor.matmul(weights, senders)  // [G, R, D]
        let o = h.linear(weight: weight.value, bias: bias.value) + gathered.linear(weight: neighbour.value, bias: nil)
        return ((h + o.elu()) * mask.unsqueezed(axis: -1), weights.unsqueezed(axis: -1))
    }

    public func receivers(_ h: Tensor, joining memory: SenderMemory, adjacency: Tensor, edges: Tensor, mask: Tensor)
        -> Tensor
    {
        memory.append(states: h)
        return aggregate(h, senders: memory.statesTensor(width: h.shape[2]), adjacency: adjacency, mask: mask).states
    }
}

/// The `--graph-layer mean` entry of the catalogue.
public enum MeanAggregationKind: GraphLayerKind {
    public static let name = "mean"
    public static let summary =
        "the mean of the senders' states, no attention (GraphSAGE's mean aggregator; edge features unused)"

    public static func make(
        dimension: Int, heads: Int, edgeDimension: Int, attentionDropout: Float,
        generator: inout SeededGenerator
    ) -> any GraphLayer {
        MeanAggregationLayer(dimension: dimension, generator: &generator)
    }
}
