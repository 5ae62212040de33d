import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import TestSupport
import Testing

/// Small random clips for model tests.
enum TestClips {
    static func make(
        count: Int, frames: Int, entities: Int, features: Int = 5, categories: Int = 3, task: TaskKind,
        classes: Int = 4, seed: UInt64, visibility: Float = 0.8
    ) -> [Clip] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { c in
            var mask = (0..<(frames * entities)).map { _ in g.nextFloat() < visibility ? Float(1) : 0 }
            for t in 0..<frames { mask[t * entities] = 1 }  // the human is always there
            let boxes = (0..<(frames * entities)).flatMap { _ -> [Float] in
                let (x, y) = (g.uniform(0, 0.7), g.uniform(0, 0.7))
                return [x, y, x + g.uniform(0.05, 0.3), y + g.uniform(0.05, 0.3)]
            }
            let labels: ClipLabels =
                task == .video
                ? .video(classes: [g.nextInt(below: classes), g.nextInt(below: classes)])
                : .entity(
                    human: [g.nextInt(below: 3)] + Array(repeating: -1, count: entities - 1),
                    object: [-1] + (1..<entities).map { _ in g.nextInt(below: 4) })
            return try! Clip(
                id: "clip\(c)", frames: frames, entities: entities, featureSize: features,
                features: (0..<(frames * entities * features)).map { _ in g.normal() },
                boxes: boxes, mask: mask,
                categories: (0..<entities).map { $0 == 0 ? 0 : 1 + g.nextInt(below: categories - 1) },
                isHuman: (0..<entities).map { $0 == 0 }, labels: labels)
        }
    }

    static func config(
        task: TaskKind, variant: Variant = .glidn, distill: String = MutualDistillation.name, dropout: Float = 0
    ) -> ModelConfig {
        ModelConfig(
            features: 5, categories: 3, task: task, classes: task == .video ? 4 : nil,
            subactivities: task == .entity ? 3 : nil, affordances: task == .entity ? 4 : nil
        ).with {
            ($0.hidden, $0.heads, $0.localLayers, $0.globalLayers, $0.distill, $0.dropout, $0.variant) = (
                16, 2, 2, 1, distill, dropout, variant
            )
        }
    }
}

@Suite("The model on awkward inputs")
struct ModelTests {
    static func allFinite(_ output: ModelOutput, _ losses: LossTerms) -> Bool {
        var tensors = [output.encoded, output.entityMask, output.globalEdges, losses.total]
        tensors += [output.localStates, output.localSummary, output.globalInput, output.globalStates].compactMap { $0 }
        tensors += output.localAttention + output.globalAttention
        tensors += output.logits.groups.map(\.logits)
        return tensors.allSatisfy { $0.values.allSatisfy(\.isFinite) }
    }

    static func run(_ clips: [Clip], task: TaskKind, variant: Variant = .glidn) throws -> (
        ModelOutput, LossTerms, GLIDNModel
    ) {
        let model = try GLIDNModel(config: TestClips.config(task: task, variant: variant), seed: 3)
        let batch = try Batch.testCollate(clips, classes: 4)
        try model.check(batch)
        var context = ForwardContext.evaluation
        let output = model(batch, context: &context)
        let losses = model.objective.losses(output, targets: batch.targets!)
        losses.total.backward()
        return (output, losses, model)
    }

    @Test(
        "an entity never visible, a frame with one visible node, T = 1, one clip: no NaN anywhere",
        arguments: TaskKind.allCases)
    func awkward(task: TaskKind) throws {
        var clips = TestClips.make(count: 2, frames: 3, entities: 4, task: task, seed: 1)
        // Entity 3 of clip 0 never visible; frame 1 of clip 1 has only the human.
        var mask0 = clips[0].mask
        for t in 0..<3 { mask0[t * 4 + 3] = 0 }
        var mask1 = clips[1].mask
        for n in 1..<4 { mask1[4 + n] = 0 }
        clips[0] = try Clip(
            id: "never", frames: 3, entities: 4, featureSize: 5, features: clips[0].features, boxes: clips[0].boxes,
            mask: mask0, categories: clips[0].categories, isHuman: clips[0].isHuman, labels: clips[0].labels)
        clips[1] = try Clip(
            id: "lonely", frames: 3, entities: 4, featureSize: 5, features: clips[1].features, boxes: clips[1].boxes,
            mask: mask1, categories: clips[1].categories, isHuman: clips[1].isHuman, labels: clips[1].labels)
        for variant in Variant.allCases {
            let (out, losses, model) = try Self.run(clips, task: task, variant: variant)
            #expect(Self.allFinite(out, losses), "\(variant)")
            #expect(model.parameters.allSatisfy { $0.grad?.values.allSatisfy(\.isFinite) ?? true }, "\(variant)")
            if let hG = out.globalStates {
                #expect((0..<16).allSatisfy { hG[0, 3, $0] == 0 }, "an invisible entity stays zero")
            }
        }
        for clips in [
            TestClips.make(count: 2, frames: 1, entities: 3, task: task, seed: 2),
            TestClips.make(count: 1, frames: 4, entities: 3, task: task, seed: 3),
            TestClips.make(count: 2, frames: 3, entities: 1, task: task, seed: 4),
        ] {
            let (out, losses, _) = try Self.run(clips, task: task)
            #expect(Self.allFinite(out, losses))
        }
    }

    @Test(
        "after a training step every tensor of the forward pass is freed: nothing leaks from step to step",
        arguments: TaskKind.allCases)
    func freesEveryStep(task: TaskKind) throws {
        var storages: [() -> TensorStorage?] = []
        do {
            let (out, losses, _) = try Self.run(
                TestClips.make(count: 2, frames: 3, entities: 4, task: task, seed: 9), task: task)
            var tensors =
                [out.encoded, losses.total]
                + [out.localStates, out.localSummary, out.globalInput, out.globalStates].compactMap { $0 }
            tensors += out.localAttention + out.globalAttention
            for t in tensors {
                weak let storage = t.storage
                storages.append { storage }
            }
        }
        #expect(!storages.isEmpty && storages.allSatisfy { $0() == nil })
    }

    @Test("padding a clip into a bigger batch does not change what the model computes for it")
    func paddingInvariance() throws {
        let short = TestClips.make(count: 1, frames: 3, entities: 2, task: .video, seed: 5)
        let long = TestClips.make(count: 1, frames: 5, entities: 4, task: .video, seed: 6)
        let model = try GLIDNModel(config: TestClips.config(task: .video), seed: 1)
        var context = ForwardContext.evaluation
        let alone = withoutGradients { model(try! Batch.testCollate(short, classes: 4), context: &context).logits }
        let padded = withoutGradients {
            model(try! Batch.testCollate(short + long, classes: 4), context: &context).logits
        }
        guard let a = alone[LabelGroup.actions], let p = padded[LabelGroup.actions] else {
            Issue.record("video logits expected")
            return
        }
        #expect(a.maxAbsDifference(p.sliced(axis: 0, range: 0..<1)) < 1e-5)
    }

    @Test("the variants own exactly their parts")
    func variants() throws {
        func names(_ v: Variant) throws -> [String] {
            try GLIDNModel(config: TestClips.config(task: .video, variant: v), seed: 0).namedParameters().map(\.name)
        }
        #expect(
            try names(.pooled) == [
                "encoder.input.weight", "encoder.input.bias", "encoder.category.weight", "head.local.weight",
                "head.local.bias",
            ])
        #expect(
            try names(.local).contains("local.1.att_edge") && !(try names(.local).contains { $0.hasPrefix("global") }))
        #expect(
            try names(.global).contains("global.input.weight")
                && !(try names(.global).contains { $0.hasPrefix("local") }))
        let full = try names(.glidn)
        #expect(
            full.contains("head.global.weight") && full.contains("local.0.weight") && full.contains("global.0.att_dst"))
    }

    @Test("bad sizes in the configuration or the batch are refused with a reason")
    func badInput() throws {
        var config = TestClips.config(task: .video)
        config.heads = 3
        #expect(throws: ConfigError.self) { _ = try GLIDNModel(config: config, seed: 0) }
        let model = try GLIDNModel(config: TestClips.config(task: .video), seed: 0)
        let wide = TestClips.make(count: 1, frames: 2, entities: 2, features: 7, task: .video, seed: 1)
        #expect { try model.check(try Batch.testCollate(wide, classes: 4)) } throws: { "\($0)".contains("7 features") }
        let entity = TestClips.make(count: 1, frames: 2, entities: 2, task: .entity, seed: 1)
        #expect { try model.check(try Batch.testCollate(entity)) } throws: { "\($0)".contains("another task") }
    }
}

@Suite("Training the model")
struct OverfitTests {
    @Test("AdamW drives the full model's loss on a few fixed clips close to zero", arguments: TaskKind.allCases)
    func overfit(task: TaskKind) throws {
        let clips = TestClips.make(count: 4, frames: 4, entities: 3, task: task, seed: 11)
        let batch = try Batch.testCollate(clips, classes: 4)
        let model = try GLIDNModel(config: TestClips.config(task: task), seed: 5)
        let optimizer = AdamW(parameters: model.namedParameters(), weightDecay: 0)
        var context = ForwardContext.training(generator: SeededGenerator(seed: 1))
        var last: LossTerms?
        for _ in 0..<250 {
            model.zeroGrad()
            let losses = model.objective.losses(model(batch, context: &context), targets: batch.targets!)
            losses.total.backward()
            optimizer.step(learningRate: 0.01)
            last = losses
        }
        let values = last!.values
        #expect(values["cls_local"]! < 0.02 && values["cls_global"]! < 0.02, "\(values)")
        #expect(values["total"]! < 0.05, "\(values)")
    }
}

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("save and load give the same model: configuration, weights and outputs")
    func roundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-ckpt-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let model = try GLIDNModel(config: TestClips.config(task: .entity), seed: 8)
        try ModelCheckpoint.save(model, to: url, metadata: ["epoch": "3"])
        let (loaded, metadata) = try ModelCheckpoint.load(url)
        #expect(loaded.config == model.config && metadata["epoch"] == "3")
        for ((n1, p1), (n2, p2)) in zip(model.namedParameters(), loaded.namedParameters()) {
            #expect(n1 == n2 && p1.value.values == p2.value.values)
        }
        let batch = try Batch.testCollate(TestClips.make(count: 2, frames: 3, entities: 3, task: .entity, seed: 2))
        var c = ForwardContext.evaluation
        guard let a = model(batch, context: &c).logits[LabelGroup.subactivity],
            let b = loaded(batch, context: &c).logits[LabelGroup.subactivity]
        else {
            Issue.record("entity logits expected")
            return
        }
        #expect(a.values == b.values)
    }

    @Test("a file that is not a checkpoint, or of another shape, is refused clearly")
    func refused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "glidn-ckpt-bad-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write([("x", Tensor.zeros([1]))], to: url)
        #expect { _ = try ModelCheckpoint.load(url) } throws: { "\($0)".contains("no 'config'") }
        var config = TestClips.config(task: .video)
        try SafeTensors.write(
            [("encoder.input.weight", Tensor.zeros([2, 2]))], metadata: ["config": config.json()], to: url)
        #expect { _ = try ModelCheckpoint.load(url) } throws: {
            "\($0)".contains("encoder.input.weight has shape [2, 2]") && "\($0)".contains("missing head.global.bias")
        }
        config.hidden = 0
        try SafeTensors.write([], metadata: ["config": config.json()], to: url)
        #expect { _ = try ModelCheckpoint.load(url) } throws: {
            "\($0)".contains("'hidden' (--hidden) must lie in 1…65536, got 0")
        }
        try Data("garbage".utf8).write(to: url)
        #expect { _ = try ModelCheckpoint.load(url) } throws: { "\($0)".contains(url.path) }
    }
}
