import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import Testing

/// Online recognition: a causal model's predictions depend on the segments so far only, and the
/// streaming recognizer, which keeps the global graph's states between updates, predicts what the
/// whole-video forward pass does.
@Suite("Online recognition, segment by segment")
struct OnlineRecognizerTests {
    static let data = FixturePaths.testsFolder.appendingPathComponent("../HOIDataTests/Fixtures/cad120_gt_small.pkl")
        .standardized

    static func clips(task: String) throws -> (info: DatasetInfo, clips: [Clip]) {
        var request = DataRequest()
        request[DataSettings.dataset] = CAD120GroundTruthDataset.name
        request[DataSettings.data] = data.path
        request[DataSettings.task] = task
        let all = try request.load().all
        return (all.info, try (0..<all.count).map { try all.clip(at: $0) })
    }

    static func model(_ info: DatasetInfo, variant: Variant, layer: String = "gat") throws -> GLIDNModel {
        var config = ModelConfig(info: info)
        config.variant = variant
        config.hidden = 16
        config[ModelSettings.heads] = 4
        config[ModelSettings.globalLayers] = 2
        config[ModelSettings.graphLayer] = layer
        return try GLIDNModel(config: config, seed: 3)
    }

    /// The whole-video model's fused logits of `clip`, per group [S·N, C].
    static func whole(_ model: GLIDNModel, _ clip: Clip) throws -> [String: [Float]] {
        let batch = try Batch.collate([clip], labels: [])
        var context = ForwardContext.evaluation
        let output = withoutGradients { model(batch, context: &context) }
        return Dictionary(uniqueKeysWithValues: output.logits.rows.map { ($0.name, $0.logits.values) })
    }

    @Test(
        "streaming predicts each segment as the whole-video forward pass does (online and anticipation, both layers, each variant)",
        arguments: [
            ("online", Variant.glidn, "gat"), ("anticipation", .global, "gat"), ("online", .local, "gat"),
            ("online", .glidn, "mean"),
        ])
    func streamingMatchesWhole(task: String, variant: Variant, layer: String) throws {
        let (info, clips) = try Self.clips(task: task)
        let model = try Self.model(info, variant: variant, layer: layer)
        var compared = 0
        for clip in clips {
            let expected = try Self.whole(model, clip)
            let recognizer = try OnlineRecognizer(model: model)
            for s in 0..<clip.segments {
                let update = try recognizer.push(try clip.segment(s))
                #expect(update.segment == s && update.seconds > 0)
                for group in update.logits.rows {
                    let c = group.logits.shape[1]
                    let want = Array(expected[group.name]![(s * clip.entities * c)..<((s + 1) * clip.entities * c)])
                    for (got, w) in zip(group.logits.values, want) {
                        #expect(abs(got - w) <= 1e-4 + 1e-3 * abs(w), "\(clip.id) segment \(s) \(group.name)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 100)
    }

    @Test("changing every later segment leaves a causal model's predictions of the earlier ones bit-identical")
    func laterSegmentsChangeNothing() throws {
        let (info, clips) = try Self.clips(task: "online")
        let model = try Self.model(info, variant: .glidn)
        let clip = try #require(clips.first { $0.segments >= 3 })
        let keep = 1  // segments 0 and 1 stay; every later frame changes
        let k = clip.framesPerSegment
        let from = (keep + 1) * k
        var generator = SeededGenerator(seed: 11)
        let (n, f) = (clip.entities, clip.featureSize)
        var features = clip.features
        var boxes = clip.boxes
        var mask = clip.mask
        for i in (from * n * f)..<features.count { features[i] = Float.random(in: -3...3, using: &generator) }
        for i in stride(from: from * n * 4, to: boxes.count, by: 4) {
            let (x, y) = (Float.random(in: 0...0.5, using: &generator), Float.random(in: 0...0.5, using: &generator))
            (boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]) = (x, y, x + 0.3, y + 0.4)
        }
        for i in (from * n)..<mask.count { mask[i] = Float.random(in: 0...1, using: &generator) < 0.5 ? 0 : 1 }
        let changed = try Clip(
            id: clip.id, frames: clip.frames, entities: n, featureSize: f, features: features, boxes: boxes,
            mask: mask, categories: clip.categories, isHuman: clip.isHuman, labels: .none, segments: clip.segments)
        let (before, after) = (try Self.whole(model, clip), try Self.whole(model, changed))
        for (name, values) in before {
            let c = values.count / (clip.segments * n)
            let kept = (keep + 1) * n * c
            #expect(Array(values[0..<kept]) == Array(after[name]![0..<kept]), "\(name): segments 0…\(keep) identical")
            #expect(Array(values[kept...]) != Array(after[name]![kept...]), "\(name): the changed segments did change")
        }
    }

    @Test(
        "windows of frames: after each, the clip's prediction from the frames so far equals the model's on that prefix",
        arguments: [(Variant.glidn, "gat", 5), (.global, "gat", 1), (.local, "mean", 7), (.pooled, "gat", 24)])
    func windowsMatchPrefixes(variant: Variant, layer: String, window: Int) throws {
        var settings = SyntheticSettings()
        (settings.trainClips, settings.validationClips, settings.testClips) = (3, 0, 0)
        let data = try SyntheticHOI.dataset(settings, split: .train, task: .video)
        let model = try Self.model(data.info, variant: variant, layer: layer)
        for index in 0..<data.count {
            let clip = try data.clip(at: index)
            let recognizer = try PrefixRecognizer(model: model)
            for start in stride(from: 0, to: clip.frames, by: window) {
                let end = min(start + window, clip.frames)
                let update = try recognizer.push(try clip.window(start..<end))
                let expected = try Self.whole(model, try clip.window(0..<end))
                for group in update.logits.rows {
                    for (got, want) in zip(group.logits.values, expected[group.name]!) {
                        #expect(abs(got - want) <= 1e-4 + 1e-3 * abs(want), "\(clip.id) frames 0..<\(end)")
                    }
                }
            }
        }
    }

    @Test("a model that sees the whole video is refused, saying what to train instead")
    func offlineRefused() throws {
        let (info, _) = try Self.clips(task: "detection")
        let model = try Self.model(info, variant: .global)
        let error = #expect(throws: ConfigError.self) { try OnlineRecognizer(model: model) }
        #expect(error?.description.contains("--task online or anticipation") == true, "\(String(describing: error))")
    }
}
