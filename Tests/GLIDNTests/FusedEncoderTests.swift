import Autograd
import GLIDN
import HOIData
import NN
import TestSupport
import Testing

@Suite("The fused node encoder")
struct FusedEncoderTests {
    @Test(
        "equals the composition ReLU(W·[f; φ] + b + E[c]) · mask · dropout, with the same gradients",
        arguments: [false, true])
    func encoder(training: Bool) throws {
        let clips = TestClips.make(count: 2, frames: 3, entities: 4, task: .video, seed: 3)
        let batch = try Batch.testCollate(clips, classes: 4)
        var config = TestClips.config(task: .video)
        config.dropout = 0.3
        let model = try GLIDNModel(config: config, seed: 4)
        let graphs = GraphInputs(batch: batch, localEdgeMode: .full)
        let weights = Tensor.seeded([2, 3, 4, 16], seed: 5)
        func run(_ fused: Bool) -> (Tensor, [[Float]]) {
            model.zeroGrad()
            var context = training ? ForwardContext.training(generator: SeededGenerator(seed: 6)) : .evaluation
            // The reference: the activation's plain composition (EncoderActivation+Composition).
            let out = KernelMode.with(fused ? .fused : .plain) {
                model.encoder(batch, graphs: graphs, context: &context)
            }
            (out * weights).sum().backward()
            return (out, model.encoder.parameters.map { $0.grad!.values })
        }
        let (a, ga) = run(true)
        let (b, gb) = run(false)
        #expect(a.maxAbsDifference(b) < 1e-5)
        for (x, y) in zip(ga, gb) { #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-4 }) }
    }
}
