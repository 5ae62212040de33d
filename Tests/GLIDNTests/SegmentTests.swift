import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import TestSupport
import Testing

/// Random whole-video clips: S segments of k frames, N entities (entity 0 a human).
enum VideoClips {
    static func make(count: Int, segments: [Int], framesPerSegment k: Int, entities n: Int, seed: UInt64) throws
        -> [Clip]
    {
        var g = SeededGenerator(seed: seed)
        return try (0..<count).map { c in
            let s = segments[c % segments.count]
            let t = s * k
            var mask = (0..<(t * n)).map { _ in g.nextFloat() < 0.8 ? Float(1) : 0 }
            for f in 0..<t { mask[f * n] = 1 }
            let boxes = (0..<(t * n)).flatMap { _ -> [Float] in
                let (x, y) = (g.uniform(0, 0.7), g.uniform(0, 0.7))
                return [x, y, x + g.uniform(0.05, 0.3), y + g.uniform(0.05, 0.3)]
            }
            let human = (0..<(s * n)).map { $0 % n == 0 ? g.nextInt(below: 3) : -1 }
            let object = (0..<(s * n)).map { $0 % n == 0 ? -1 : g.nextInt(below: 4) }
            return try Clip(
                id: "video\(c)", frames: t, entities: n, featureSize: 5,
                features: (0..<(t * n * 5)).map { _ in g.normal() }, boxes: boxes, mask: mask,
                categories: (0..<n).map { $0 == 0 ? 0 : 1 + g.nextInt(below: 2) }, isHuman: (0..<n).map { $0 == 0 },
                labels: .entity(human: human, object: object), segments: s)
        }
    }

    static func config(_ context: TemporalContext, variant: Variant = .glidn) -> ModelConfig {
        var c = TestClips.config(task: .entity, variant: variant)
        c.temporalContext = context
        return c
    }
}

@Suite("Whole videos of segments")
struct SegmentTests {
    /// Every value of the model's output for the nodes of segments 0…s of each clip.
    static func upTo(_ segment: Int, _ output: ModelOutput, segments: Int, entities n: Int) -> [Float] {
        var out: [Float] = []
        for logits in [output.localLogits, output.globalLogits].compactMap({ $0 }) {
            for group in logits.groups {
                let (b, c) = (group.logits.shape[0], group.logits.shape[2])
                let v = group.logits.values
                for clip in 0..<b {
                    let start = clip * segments * n * c
                    out += v[start..<(start + (segment + 1) * n * c)]
                }
            }
        }
        return out
    }

    @Test(
        "anticipation is causal: changing every later segment leaves the predictions up to a segment bit-identical",
        arguments: [GraphAttentionKind.name], [false, true])
    func causal(layer: String, plain: Bool) throws {
        let (k, n) = (3, 3)
        let clips = try VideoClips.make(count: 3, segments: [4, 3, 4], framesPerSegment: k, entities: n, seed: 1)
        let model = try GLIDNModel(config: VideoClips.config(.causal), seed: 2)
        func predict(_ clips: [Clip]) throws -> ModelOutput {
            var context = ForwardContext.evaluation
            let batch = try Batch.testCollate(clips)
            return KernelMode.with(plain ? .plain : .fused) { withoutGradients { model(batch, context: &context) } }
        }
        let reference = try predict(clips)
        for cut in 0..<3 {
            // Everything from segment cut + 1 on: other features, boxes, visibility and labels.
            let changed = try clips.map { clip -> Clip in
                let later = (cut + 1) * k * n
                var g = SeededGenerator(seed: UInt64(100 + cut))
                var features = clip.features
                var boxes = clip.boxes
                var mask = clip.mask
                for i in (later * 5)..<features.count { features[i] = g.normal() * 3 }
                for i in (later * 4)..<boxes.count { boxes[i] = g.uniform(0, 1) }
                for i in later..<mask.count where i % n != 0 { mask[i] = 1 - mask[i] }
                guard var (human, object) = clip.labels.entity else { preconditionFailure("entity labels") }
                for i in ((cut + 1) * n)..<human.count {
                    human[i] = human[i] >= 0 ? (human[i] + 1) % 3 : -1
                    object[i] = object[i] >= 0 ? (object[i] + 1) % 4 : -1
                }
                return try Clip(
                    id: clip.id, frames: clip.frames, entities: n, featureSize: 5, features: features, boxes: boxes,
                    mask: mask,
                    categories: clip.categories, isHuman: clip.isHuman, labels: .entity(human: human, object: object),
                    segments: clip.segments)
            }
            let after = try predict(changed)
            #expect(
                Self.upTo(cut, after, segments: 4, entities: n) == Self.upTo(cut, reference, segments: 4, entities: n),
                "cut \(cut)")
            // The change does reach the later segments (so the comparison is not vacuous).
            #expect(Self.upTo(3, after, segments: 4, entities: n) != Self.upTo(3, reference, segments: 4, entities: n))
        }
    }

    @Test("with the whole video in view (not causal), earlier segments do hear later ones")
    func videoContextSeesTheFuture() throws {
        let clips = try VideoClips.make(count: 1, segments: [3], framesPerSegment: 2, entities: 2, seed: 3)
        let model = try GLIDNModel(config: VideoClips.config(.video, variant: .global), seed: 4)
        var context = ForwardContext.evaluation
        let before = withoutGradients { model(try! Batch.testCollate(clips), context: &context) }
        var features = clips[0].features
        for i in (2 * 2 * 2 * 5)..<features.count { features[i] += 1 }  // segment 2 only
        let changed = try Clip(
            id: "x", frames: 6, entities: 2, featureSize: 5, features: features, boxes: clips[0].boxes,
            mask: clips[0].mask,
            categories: clips[0].categories, isHuman: clips[0].isHuman, labels: clips[0].labels, segments: 3)
        let after = withoutGradients { model(try! Batch.testCollate([changed]), context: &context) }
        #expect(Self.upTo(0, after, segments: 3, entities: 2) != Self.upTo(0, before, segments: 3, entities: 2))
    }

    @Test(
        "a video padded into a batch of longer videos gets the same predictions as alone",
        arguments: TemporalContext.allCases.dropFirst())
    func padding(context temporal: TemporalContext) throws {
        let short = try VideoClips.make(count: 1, segments: [2], framesPerSegment: 3, entities: 2, seed: 5)
        let long = try VideoClips.make(count: 1, segments: [4], framesPerSegment: 3, entities: 3, seed: 6)
        let model = try GLIDNModel(config: VideoClips.config(temporal), seed: 7)
        var context = ForwardContext.evaluation
        let alone = withoutGradients { model(try! Batch.testCollate(short), context: &context).logits }
        let padded = withoutGradients { model(try! Batch.testCollate(short + long), context: &context).logits }
        for (a, p) in zip(alone.groups, padded.groups) {
            // Clip 0's nodes: 2 segments × entities 0 and 1 of the padded batch's 4 × 3.
            let c = a.logits.shape[2]
            for s in 0..<2 {
                for e in 0..<2 {
                    let x = Array(a.logits.values[((s * 2 + e) * c)..<((s * 2 + e + 1) * c)])
                    let y = Array(p.logits.values[((s * 3 + e) * c)..<((s * 3 + e + 1) * c)])
                    #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-5 }, "\(a.name) segment \(s) entity \(e)")
                }
            }
        }
    }

    @Test("clips of segments batch with labels per (segment, entity), padded segments unlabelled and invisible")
    func collate() throws {
        let clips = try VideoClips.make(count: 2, segments: [3, 1], framesPerSegment: 2, entities: 2, seed: 8)
        let batch = try Batch.testCollate(clips)
        #expect(
            batch.segments == 3 && batch.frames == 6 && batch.framesPerSegment == 2 && batch.segmentCounts == [3, 1])
        guard case .classes(let human)? = batch.targets?[LabelGroup.subactivity] else {
            Issue.record("labels")
            return
        }
        #expect(human.count == 2 * 3 * 2 && human[(1 * 3 + 1) * 2] == -1 && human[(1 * 3 + 2) * 2] == -1)
        #expect(batch.mask.values[(6 + 2) * 2..<(6 + 6) * 2].allSatisfy { $0 == 0 })
        let other = try VideoClips.make(count: 1, segments: [2], framesPerSegment: 3, entities: 2, seed: 9)
        #expect { _ = try Batch.testCollate(clips + other) } throws: { "\($0)".contains("frames per segment") }
        #expect(throws: ClipError.self) {
            _ = try Clip(
                id: "odd", frames: 5, entities: 1, featureSize: 0, features: [],
                boxes: [Float](repeating: 0, count: 20),
                mask: [Float](repeating: 1, count: 5), categories: [0], isHuman: [true], labels: .none, segments: 2)
        }
    }
}
