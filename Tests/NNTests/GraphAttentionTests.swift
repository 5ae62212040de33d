import Autograd
import NN
import TestSupport
import Testing

@Suite("Graph attention layer")
struct GraphAttentionTests {
    /// Two graphs of four nodes: graph 0 has an absent node (3), graph 1 a node (0) that only sees itself.
    static func graph() -> (adjacency: Tensor, edges: Tensor, mask: Tensor) {
        let mask = Tensor(shape: [2, 4], values: [1, 1, 1, 0, 1, 1, 1, 1])
        var adj = [Float](repeating: 0, count: 32)
        for g in 0..<2 {
            for i in 0..<4 {
                for j in 0..<4 { adj[(g * 4 + i) * 4 + j] = mask[g, i] * mask[g, j] }
            }
        }
        for j in 1..<4 { adj[(4 + 0) * 4 + j] = 0 }
        return (Tensor(shape: [2, 4, 4], values: adj), .seeded([2, 4, 4, 3], seed: 3), mask)
    }

    @Test("gradients w.r.t. node states and every parameter match finite differences")
    func gradients() {
        var generator = SeededGenerator(seed: 1)
        let layer = GraphAttention(dimension: 6, heads: 2, edgeDimension: 3, generator: &generator)
        let (adj, edges, mask) = Self.graph()
        let h = Tensor.seeded([2, 4, 6], seed: 2) * mask.unsqueezed(axis: -1)
        let f = GradientCheck.failures([h], parameters: layer.namedParameters(), step: 3e-3, atol: 2e-3, rtol: 2e-2) { x in
            var context = ForwardContext.evaluation
            return layer(x[0], adjacency: adj, edges: edges, nodeMask: mask, context: &context).states
        }
        #expect(f.isEmpty, "\(f.prefix(5))")
    }

    /// The layer written as the plain composition of ops that its fused kernels replace.
    static func composed(_ layer: GraphAttention, _ h: Tensor, adjacency: Tensor, edges: Tensor, mask: Tensor,
                         context: inout ForwardContext) -> (Tensor, Tensor) {
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        let heads = layer.heads
        let z = h.linear(weight: layer.weight.value, bias: nil).reshaped([g, n, heads, d / heads])
        let toReceiver = (z * layer.attDestination.value).sum(axis: -1)
        let fromSender = (z * layer.attSource.value).sum(axis: -1)
        let edgeScore = edges.linear(weight: layer.attEdge.value, bias: nil)
        let scores = (toReceiver.unsqueezed(axis: 2) + fromSender.unsqueezed(axis: 1) + edgeScore).leakyRelu(slope: 0.2)
        let blocked = adjacency.map { $0 == 0 ? 1 : 0 }.unsqueezed(axis: -1)
        let attention = scores.maskedFill(where: blocked, with: -1e9).softmax(axis: 2)
        var weights = attention
        if context.isTraining && layer.attentionDropout.probability > 0 {
            weights = attention.dropout(probability: layer.attentionDropout.probability, generator: &context.generator)
        }
        let messages = Tensor.matmul(weights.permuted([0, 3, 1, 2]), z.permuted([0, 2, 1, 3]))
            .permuted([0, 2, 1, 3]).reshaped([g, n, d]) + layer.bias.value
        return ((h + messages.elu()) * mask.unsqueezed(axis: -1), attention)
    }

    @Test("the fused kernels equal the plain composition of ops: values, attention and every gradient",
          arguments: [false, true])
    func fusedEqualsComposition(training: Bool) {
        var generator = SeededGenerator(seed: 11)
        let layer = GraphAttention(dimension: 8, heads: 2, edgeDimension: 3, attentionDropout: 0.3, generator: &generator)
        let (adj, edges, mask) = Self.graph()
        let h = (Tensor.seeded([2, 4, 8], seed: 12) * mask.unsqueezed(axis: -1)).requiringGrad()
        let weights = Tensor.seeded([2, 4, 8], seed: 13)
        func run(_ fused: Bool) -> (Tensor, Tensor, [Float], [[Float]]) {
            layer.zeroGrad()
            h.zeroGrad()
            var context = training ? ForwardContext.training(generator: SeededGenerator(seed: 5)) : .evaluation
            let (out, attention) = fused
                ? layer(h, adjacency: adj, edges: edges, nodeMask: mask, context: &context)
                : Self.composed(layer, h, adjacency: adj, edges: edges, mask: mask, context: &context)
            (out * weights).sum().backward()
            return (out, attention, h.grad!.values, layer.parameters.map { $0.grad!.values })
        }
        let (a, attentionA, dhA, dpA) = run(true)
        let (b, attentionB, dhB, dpB) = run(false)
        #expect(a.maxAbsDifference(b) < 1e-5)
        // Attention rows of absent receivers are arbitrary; compare the rest.
        for graph in 0..<2 {
            for i in 0..<4 where mask[graph, i] == 1 {
                for j in 0..<4 {
                    for k in 0..<2 { #expect(abs(attentionA[graph, i, j, k] - attentionB[graph, i, j, k]) < 1e-6) }
                }
            }
        }
        #expect(zip(dhA, dhB).allSatisfy { abs($0 - $1) < 1e-5 })
        for (x, y) in zip(dpA, dpB) { #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-5 }, "\(x) vs \(y)") }
    }

    @Test("attention rows are distributions over allowed senders; absent nodes stay zero")
    func attentionRows() {
        var generator = SeededGenerator(seed: 4)
        let layer = GraphAttention(dimension: 6, heads: 3, edgeDimension: 3, generator: &generator)
        let (adj, edges, mask) = Self.graph()
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
