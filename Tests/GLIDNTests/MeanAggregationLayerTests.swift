import Autograd
import GLIDN
import NN
import Settings
import TestSupport
import Testing

@Suite("Mean-aggregation graph layer")
struct MeanAggregationLayerTests {
    @Test("gradients w.r.t. node states and every parameter match finite differences")
    func gradients() {
        var generator = SeededGenerator(seed: 1)
        let layer = MeanAggregationLayer(dimension: 6, generator: &generator)
        let f = SmallGraphs.gradientFailures(of: layer, dimension: 6)
        #expect(f.isEmpty, "\(f.prefix(5))")
    }

    @Test("its weights are the mean over the allowed senders; absent nodes stay zero; the catalogue builds it by name")
    func meanWeights() throws {
        var generator = SeededGenerator(seed: 4)
        let layer = MeanAggregationLayer(dimension: 6, generator: &generator)
        let (adj, edges, mask) = SmallGraphs.twoGraphs()
        var context = ForwardContext.evaluation
        let (states, weights) = layer(
            Tensor.seeded([2, 4, 6], seed: 5), adjacency: adj, edges: edges, nodeMask: mask, context: &context)
        #expect(weights.shape == [2, 4, 4, 1])
        #expect(weights[0, 0, 1, 0] == 1 / 3 && weights[0, 0, 3, 0] == 0 && weights[1, 0, 0, 0] == 1)
        #expect((0..<6).allSatisfy { states[0, 3, $0] == 0 })
        #expect(Catalogues.graphLayers.entry(named: "mean") != nil)
        #expect(layer.children.map(\.name) == ["weight", "neighbour", "bias"])
    }
}
