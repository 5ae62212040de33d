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
        let output = withoutGradients { model(try! Batch.testCollate(clips, classes: 4), context: &context) }
        let (l, g) = (output.localLogits![LabelGroup.actions]!, output.globalLogits![LabelGroup.actions]!)
        #expect(output.logits[LabelGroup.actions]!.values == ((l + g) * 0.5).values, "the default: the mean")
        #expect(output.fused(localWeight: 1)[LabelGroup.actions]!.values == l.values)
        #expect(output.fused(localWeight: 0)[LabelGroup.actions]!.values == g.values)
        #expect(output.fused(localWeight: 0.3)[LabelGroup.actions]!.maxAbsDifference(l * 0.3 + g * 0.7) < 1e-6)
        #expect(throws: ConfigError.self) { try model.setFusionWeight(1.5) }
    }

    @Test(
        "a sweep from one pass scores each weight as a model set to it would; the validation choice is written into best"
    )
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

@Suite("The distillation schedule")
struct ScheduleTests {
    @Test("no distillation through the warm-up, then a linear ramp to full weight; evaluation at full weight")
    func ramp() throws {
        var config = TestClips.config(task: .video)
        config.distillWarmup = 2
        config.distillRamp = 4
        let objective = try GLIDNModel(config: config, seed: 0).objective
        let factors = (1...7).map { objective.scheduleFactor(TrainingProgress(epoch: $0, epochs: 7)) }
        #expect(factors == [0, 0, 0.25, 0.5, 0.75, 1, 1] && objective.scheduleFactor(.finished) == 1)
        let clips = TestClips.make(count: 2, frames: 3, entities: 3, task: .video, seed: 1)
        let batch = try Batch.testCollate(clips, classes: 4)
        let model = try GLIDNModel(config: config, seed: 0)
        var context = ForwardContext.evaluation
        let output = model(batch, context: &context)
        let early = model.objective.losses(
            output, targets: batch.targets!, progress: TrainingProgress(epoch: 1, epochs: 7))
        let full = model.objective.losses(output, targets: batch.targets!)
        let cls = full.values["cls_local"]! + full.values["cls_global"]!
        #expect(abs(early.total.scalar - cls) < 1e-6, "only the classification terms count in the warm-up")
        #expect(full.total.scalar > cls + 1e-4)
    }
}
