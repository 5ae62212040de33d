import Autograd
import NN

/// Small dense graphs for tests of graph layers.
public enum SmallGraphs {
    /// Two graphs of four nodes: graph 0 has an absent node (3), graph 1 a node (0) that only
    /// sees itself; edge features of width 3.
    public static func twoGraphs() -> (adjacency: Tensor, edges: Tensor, mask: Tensor) {
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

    /// The elements whose gradients of `layer`'s states, w.r.t. the states of `twoGraphs` and
    /// every parameter, disagree with finite differences: the check every graph layer passes.
    public static func gradientFailures(of layer: some GraphLayer, dimension: Int) -> [GradientCheck.Failure] {
        let (adj, edges, mask) = twoGraphs()
        let h = Tensor.seeded([2, 4, dimension], seed: 2) * mask.unsqueezed(axis: -1)
        return GradientCheck.failures([h], parameters: layer.namedParameters(), step: 3e-3, atol: 2e-3, rtol: 2e-2) {
            x in
            var context = ForwardContext.evaluation
            return layer(x[0], adjacency: adj, edges: edges, nodeMask: mask, context: &context).states
        }
    }
}
