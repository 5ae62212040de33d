import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import Testing

@Suite("Fusing the two branches")
struct FusionTests {
    @Test("the prediction is w · local + (1 - w) · global; 0.5 is the mean, 1 and 0 one branch alone")
    func weights() throws {
        let clips = TestClips.make(count: 3, frames: 3, entities: 3, task: .video, seed: 1)
        let model = try GLIDNModel(config: TestClips.config(task: .video), seed: 2)
        var context = ForwardContext.evaluation
        let output = withoutGradients { model(try! Batch.collate(clips, classes: 4), context: &context) }
        let (l, g) = (output.localLogits![LabelGroup.actions]!, output.globalLogits![LabelGroup.actions]!)
        #expect(output.logits[LabelGroup.actions]!.values == ((l + g) * 0.5).values, "the default: the mean")
        #expect(output.fused(localWeight: 1)[LabelGroup.actions]!.values == l.values)
        #expect(output.fused(localWeight: 0)[LabelGroup.actions]!.values == g.values)
        #expect(output.fused(localWeight: 0.3)[LabelGroup.actions]!.maxAbsDifference(l * 0.3 + g * 0.7) < 1e-6)
        #expect(throws: ConfigError.self) { try model.setFusionWeight(1.5) }
    }

    @Test("a sweep from one pass scores each weight as a model set to it would; the validation choice is written into best")
    func sweepAndChoice() throws {
        let (train, validation) = try TrainingTests.tinyData()
        let folder = TrainingTests.folder("fusion")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TrainingTests.makeRun(folder, info: train.info, epochs: 2)
        try run.run(train: train, validation: validation)
        let (model, _) = try ModelCheckpoint.load(folder.appendingPathComponent(TrainingRun.bestFile))
        let sweep = try Evaluator.fusionSweep(model, on: validation, weights: [0, 0.3, 1])
        for (weight, evaluation) in sweep {
            try model.setFusionWeight(weight)
            #expect(try Evaluator.run(model, on: validation).0.headline == evaluation.headline, "weight \(weight)")
        }
        let scores = try run.chooseFusion(on: validation)
        #expect(scores.count == TrainingRun.fusionWeights.count)
        let best = scores.map(\.score).max()!
        let (chosen, metadata) = try ModelCheckpoint.load(folder.appendingPathComponent(TrainingRun.bestFile))
        #expect(scores.first { $0.weight == chosen.config.fusionWeight }?.score == best)
        #expect(try Evaluator.run(chosen, on: validation).0.headline == best)
        #expect(metadata["fusion_sweep"] != nil && metadata["epoch"] != nil, "the checkpoint keeps its metadata")
    }
}
