import Autograd
import Foundation

/// The graph attention layer of docs/MODEL.md: multi-head attention over dense graphs with
/// edge features, a softmax per receiver over its senders, a residual and ELU.
///
/// For node states h_i, adjacency A (A_ij = 1 when j sends to i), edge features e_ij:
///   z = W h;  s_ij^k = LeakyReLU_0.2(att_dst^k·z_i^k + att_src^k·z_j^k + att_edge^k·e_ij)
///   α_ij^k = softmax_j over A_ij = 1;  o_i = concat_k Σ_j α_ij^k z_j^k + bias
///   h_i' = (h_i + ELU(o_i)) · m_i
/// The steps follow PyTorch Geometric's GATConv (project → score → softmax → sum),
/// on many small dense graphs at once, as one fused op (`GraphAttentionKernel`): one BLAS
/// product projects every node, then the rest, residual update included, runs per graph.
/// `GraphAttention+Composition` spells the same layer in plain ops (`GLIDN_KERNELS=plain`).
public final class GraphAttention: GraphLayer {
    public let weight: Parameter
    public let attSource: Parameter
    public let attDestination: Parameter
    public let attEdge: Parameter
    public let bias: Parameter
    public let heads: Int
    public let attentionDropout: Dropout
    /// The compiled forms of the fused kernel (which head counts and edge widths are unrolled).
    public let kernels: AttentionKernels

    public init(
        dimension: Int, heads: Int, edgeDimension: Int, attentionDropout: Float = 0,
        kernels: AttentionKernels = .general,
        generator: inout SeededGenerator
    ) {
        require(
            heads > 0 && dimension % heads == 0,
            "GraphAttention: dimension \(dimension) does not split into \(heads) heads")
        let headSize = dimension / heads
        func glorot(_ shape: [Int]) -> Tensor {
            let bound = Float(Foundation.sqrt(6.0 / Double(shape[0] + shape[1])))
            return .randomUniform(shape, low: -bound, high: bound, generator: &generator)
        }
        weight = Parameter(glorot([dimension, dimension]))
        attSource = Parameter(glorot([heads, headSize]))
        attDestination = Parameter(glorot([heads, headSize]))
        attEdge = Parameter(glorot([heads, edgeDimension]))
        bias = Parameter(.zeros([dimension]))
        self.heads = heads
        self.attentionDropout = Dropout(probability: attentionDropout)
        self.kernels = kernels
    }

    public var dimension: Int { weight.shape[0] }
    public var edgeDimension: Int { attEdge.shape[1] }

    public var children: [(name: String, child: ModuleChild)] {
        [
            ("weight", .parameter(weight)), ("att_src", .parameter(attSource)), ("att_dst", .parameter(attDestination)),
            ("att_edge", .parameter(attEdge)), ("bias", .parameter(bias)),
        ]
    }

    /// - Parameters:
    ///   - h: node states [G, N, D] for G graphs of N nodes.
    ///   - adjacency: [G, N, N], 1 where sender j (last axis) reaches receiver i.
    ///   - edges: edge features [G, N, N, E], receiver i then sender j (constants: no gradient).
    ///   - nodeMask: [G, N], 1 for nodes that exist.
    /// - Returns: the new states [G, N, D] and the attention α [G, N, N, H] (receiver, sender, head).
    public func callAsFunction(
        _ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, context: inout ForwardContext
    ) -> (states: Tensor, attention: Tensor) {
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        require(d == dimension, "GraphAttention: states \(Shape.describe(h.shape)) for dimension \(dimension)")
        require(
            adjacency.shape == [g, n, n] && nodeMask.shape == [g, n] && edges.shape == [g, n, n, edgeDimension],
            "GraphAttention: adjacency \(Shape.describe(adjacency.shape)), edges \(Shape.describe(edges.shape)), mask \(Shape.describe(nodeMask.shape)) do not fit states \(Shape.describe(h.shape))"
        )
        // The same draw `Tensor.dropoutMask([g, n, n, heads], …)` would make; the kernel computes
        // the multipliers where it uses them instead of reading a stored mask.
        var dropout: DropoutDraw?
        if context.isTraining && attentionDropout.probability > 0 {
            dropout = DropoutDraw(probability: attentionDropout.probability, generator: &context.generator)
        }
        if KernelMode.usesPlainOps {
            return composed(h, adjacency: adjacency, edges: edges, nodeMask: nodeMask, dropout: dropout)
        }
        return GraphAttentionKernel.apply(
            states: h, weight: weight.value, attSource: attSource.value, attDestination: attDestination.value,
            attEdge: attEdge.value,
            bias: bias.value, edges: edges, adjacency: adjacency, nodeMask: nodeMask, dropout: dropout, kernels: kernels
        )
    }
}
