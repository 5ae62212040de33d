import Autograd

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
}
