import Autograd
import NN
import TestSupport
import Testing

@Suite("Graph attention layer")
struct GraphAttentionTests {
    @Test("gradients w.r.t. node states and every parameter match finite differences")
    func gradients() {
        var generator = SeededGenerator(seed: 1)
        let layer = GraphAttention(dimension: 6, heads: 2, edgeDimension: 3, generator: &generator)
        let f = SmallGraphs.gradientFailures(of: layer, dimension: 6)
        #expect(f.isEmpty, "\(f.prefix(5))")
    }

    /// G graphs of n nodes: in each, a seeded subset of nodes is absent and node 0 only sees itself.
    static func graph(graphs: Int, nodes n: Int, edgeDimension e: Int, seed: UInt64) -> (
        adjacency: Tensor, edges: Tensor, mask: Tensor
    ) {
        var generator = SeededGenerator(seed: seed)
        let mask = (0..<(graphs * n)).map { index -> Float in index % n == 1 || generator.nextFloat() < 0.8 ? 1 : 0 }
        var adj = [Float](repeating: 0, count: graphs * n * n)
        for g in 0..<graphs {
            for i in 0..<n {
                for j in 0..<n where i != 0 || j == 0 { adj[(g * n + i) * n + j] = mask[g * n + i] * mask[g * n + j] }
            }
        }
        return (
            Tensor(shape: [graphs, n, n], values: adj), .seeded([graphs, n, n, e], seed: seed + 1),
            Tensor(shape: [graphs, n], values: mask)
        )
    }

    /// Layer shapes that reach every specialisation of the kernels (4 or 8 heads with 5 or 7
    /// edge features) and the general path, with head sizes that leave SIMD remainders and
    /// node counts on both sides of the four-at-a-time dot products.
    static let shapes: [(dimension: Int, heads: Int, edges: Int, nodes: Int)] = [
        (8, 2, 3, 4), (64, 4, 5, 6), (36, 4, 7, 5), (40, 8, 5, 7), (64, 8, 7, 3), (12, 3, 2, 9),
    ]

    @Test(
        "the fused kernels equal the plain composition of ops: values, attention and every gradient",
        arguments: [false, true], shapes.indices)
    func fusedEqualsComposition(training: Bool, shape: Int) {
        let (dimension, heads, edgeDimension, n) = Self.shapes[shape]
        var generator = SeededGenerator(seed: 11)
        let layer = GraphAttention(
            dimension: dimension, heads: heads, edgeDimension: edgeDimension, attentionDropout: 0.3,
            generator: &generator)
        let graphs = 9  // more than one chunk per core
        let (adj, edges, mask) = Self.graph(
            graphs: graphs, nodes: n, edgeDimension: edgeDimension, seed: UInt64(20 + shape))
        let h = (Tensor.seeded([graphs, n, dimension], seed: 12) * mask.unsqueezed(axis: -1)).requiringGrad()
        let weights = Tensor.seeded([graphs, n, dimension], seed: 13)
        func run(_ fused: Bool) -> (Tensor, Tensor, [Float], [[Float]]) {
            layer.zeroGrad()
            h.zeroGrad()
            var context = training ? ForwardContext.training(generator: SeededGenerator(seed: 5)) : .evaluation
            // The reference: the layer's plain composition of basic ops (GraphAttention+Composition).
            let (out, attention) = KernelMode.with(fused ? .fused : .plain) {
                layer(h, adjacency: adj, edges: edges, nodeMask: mask, context: &context)
            }
            (out * weights).sum().backward()
            return (out, attention, h.grad!.values, layer.parameters.map { $0.grad!.values })
        }
        let (a, attentionA, dhA, dpA) = run(true)
        let (b, attentionB, dhB, dpB) = run(false)
        #expect(a.maxAbsDifference(b) < 1e-5)
        // Attention rows of absent receivers are arbitrary; compare the rest.
        var worst: Float = 0
        for graph in 0..<graphs {
            for i in 0..<n where mask[graph, i] == 1 {
                for j in 0..<n {
                    for k in 0..<heads {
                        worst = max(worst, abs(attentionA[graph, i, j, k] - attentionB[graph, i, j, k]))
                    }
                }
            }
        }
        #expect(worst < 1e-6)
        let scale = max(1, dhB.map(abs).max() ?? 0)
        #expect(zip(dhA, dhB).allSatisfy { abs($0 - $1) < 1e-5 * scale })
        for (x, y) in zip(dpA, dpB) {
            let scale = max(1, y.map(abs).max() ?? 0)
            #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-5 * scale }, "\(x.prefix(8)) vs \(y.prefix(8))")
        }
    }

    @Test(
        "a layer's outputs and everything it saved for backward are freed once they are dropped",
        arguments: [false, true])
    func freesWhatItMakes(training: Bool) {
        var generator = SeededGenerator(seed: 14)
        let layer = GraphAttention(
            dimension: 8, heads: 4, edgeDimension: 5, attentionDropout: 0.2, generator: &generator)
        let (adj, edges, mask) = Self.graph(graphs: 6, nodes: 4, edgeDimension: 5, seed: 15)
        weak var states: TensorStorage?
        weak var attention: TensorStorage?
        do {
            var context = training ? ForwardContext.training(generator: SeededGenerator(seed: 16)) : .evaluation
            let h = Tensor.seeded([6, 4, 8], seed: 17).requiringGrad()
            let (out, alpha) =
                training
                ? layer(h, adjacency: adj, edges: edges, nodeMask: mask, context: &context)
                : withoutGradients { layer(h, adjacency: adj, edges: edges, nodeMask: mask, context: &context) }
            if training { out.sum().backward() }
            (states, attention) = (out.storage, alpha.storage)
            #expect(states != nil && attention != nil)
        }
        #expect(states == nil && attention == nil)
    }

    @Test("attention rows are distributions over allowed senders; absent nodes stay zero")
    func attentionRows() {
        var generator = SeededGenerator(seed: 4)
        let layer = GraphAttention(dimension: 6, heads: 3, edgeDimension: 3, generator: &generator)
        let (adj, edges, mask) = SmallGraphs.twoGraphs()
        let h = Tensor.seeded([2, 4, 6], seed: 5) * mask.unsqueezed(axis: -1)
        var context = ForwardContext.evaluation
        let (out, alpha) = layer(h, adjacency: adj, edges: edges, nodeMask: mask, context: &context)
        #expect(alpha.shape == [2, 4, 4, 3])
        for g in 0..<2 {
            for i in 0..<4 where mask[g, i] == 1 {
                for k in 0..<3 {
                    let row = (0..<4).map { alpha[g, i, $0, k] }
                    #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                    for j in 0..<4 where adj[g, i, j] == 0 { #expect(row[j] == 0) }
                }
            }
        }
        #expect(abs(alpha[1, 0, 0, 0] - 1) < 1e-6, "a node that only sees itself attends to itself")
        #expect((0..<6).allSatisfy { out[0, 3, $0] == 0 }, "an absent node stays zero")
        #expect(out.values.allSatisfy { $0.isFinite })
    }

    @Test("parameter names are the checkpoint names of MODEL.md")
    func names() {
        var generator = SeededGenerator(seed: 6)
        let layer = GraphAttention(dimension: 8, heads: 2, edgeDimension: 5, generator: &generator)
        let named = layer.namedParameters().map { "\($0.name) \($0.parameter.shape)" }
        #expect(named == ["weight [8, 8]", "att_src [2, 4]", "att_dst [2, 4]", "att_edge [2, 5]", "bias [8]"])
    }
}

/// A layer that only forwards the whole-graph call: it gets `GraphLayer`'s general `receivers`.
private final class WholeGraphOnly: GraphLayer {
    let inner: GraphAttention
    init(_ inner: GraphAttention) { self.inner = inner }
    var children: [(name: String, child: ModuleChild)] { [("inner", .module(inner))] }
    func callAsFunction(_ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, context: inout ForwardContext)
        -> (states: Tensor, attention: Tensor)
    {
        inner(h, adjacency: adjacency, edges: edges, nodeMask: nodeMask, context: &context)
    }
}

@Suite("Updating some receivers only")
struct ReceiverUpdateTests {
    @Test(
        "streamed receivers: the attention layer's update (projections kept) equals the general one and the whole layer's rows"
    )
    func receiversAgree() {
        var g = SeededGenerator(seed: 4)
        let layer = GraphAttention(dimension: 8, heads: 2, edgeDimension: 3, generator: &g)
        let m = 6
        let nodes = Tensor.randomNormal([1, m, 8], generator: &g)
        // Causal: each node hears every earlier node and itself; node 1 is absent.
        var full = [Float](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0...i where j != 1 { full[i * m + j] = 1 } }
        let adjacency = Tensor(shape: [1, m, m], values: full)
        let edges = Tensor.randomNormal([1, m, m, 3], generator: &g)
        let mask = Tensor(shape: [1, m], values: [1, 0, 1, 1, 1, 1])
        var context = ForwardContext.evaluation
        let whole = layer(nodes, adjacency: adjacency, edges: edges, nodeMask: mask, context: &context).states
        // Streamed two nodes at a time, through the layer's own update and through the general one.
        let (fast, general) = (SenderMemory(), SenderMemory())
        let forwarding = WholeGraphOnly(layer)
        for start in stride(from: 0, to: m, by: 2) {
            let (rows, senders) = (start..<(start + 2), 0..<(start + 2))
            let h = nodes.sliced(axis: 1, range: rows)
            let a = adjacency.sliced(axis: 1, range: rows).sliced(axis: 2, range: senders)
            let e = edges.sliced(axis: 1, range: rows).sliced(axis: 2, range: senders)
            let k = mask.sliced(axis: 1, range: rows)
            let one = layer.receivers(h, joining: fast, adjacency: a, edges: e, mask: k)
            let other = forwarding.receivers(h, joining: general, adjacency: a, edges: e, mask: k)
            let want = whole.sliced(axis: 1, range: rows)
            for (x, y) in zip(one.values, other.values) { #expect(abs(x - y) < 1e-5) }
            for (x, y) in zip(one.values, want.values) { #expect(abs(x - y) < 1e-5) }
        }
        #expect(fast.count == m && general.count == m && fast.derived.count == m * 8)
    }
}
