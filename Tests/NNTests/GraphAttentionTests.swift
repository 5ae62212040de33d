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

    @Test("gradients w.r.t. node states, edge features and every parameter match finite differences")
    func gradients() {
        var generator = SeededGenerator(seed: 1)
        let layer = GraphAttention(dimension: 6, heads: 2, edgeDimension: 3, generator: &generator)
        let (adj, edges, mask) = Self.graph()
        let h = Tensor.seeded([2, 4, 6], seed: 2) * mask.unsqueezed(axis: -1)
        let f = GradientCheck.failures([h, edges], parameters: layer.namedParameters(), step: 3e-3, atol: 2e-3, rtol: 2e-2) { x in
            var context = ForwardContext.evaluation
            return layer(x[0], adjacency: adj, edges: x[1], nodeMask: mask, context: &context).states
        }
        #expect(f.isEmpty, "\(f.prefix(5))")
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
