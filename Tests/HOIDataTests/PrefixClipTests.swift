import Autograd
import HOIData
import TestSupport
import Testing

/// Prefixes of clips: what an online model has seen a share of the way into a clip.
@Suite("Prefixes of clips")
struct PrefixClipTests {
    static func clip() throws -> Clip {
        try SyntheticHOI.dataset(SyntheticTests.settings(), split: .train, task: .video).clip(at: 3)
    }

    @Test("a prefix is the first ⌈f·T⌉ frames with the whole clip's labels, named after its clip")
    func prefix() throws {
        let clip = try Self.clip()
        let (t, n, f) = (clip.frames, clip.entities, clip.featureSize)
        for fraction in [0.25, 0.5, 0.75, 1.0, 0.01] {
            let p = try clip.prefix(fraction)
            let frames = max(1, Int((fraction * Double(t)).rounded(.up)))
            #expect(p.frames == frames && p.labels == clip.labels && p.categories == clip.categories)
            #expect(p.features == Array(clip.features[0..<(frames * n * f)]))
            #expect(p.mask == Array(clip.mask[0..<(frames * n)]) && p.boxes == Array(clip.boxes[0..<(frames * n * 4)]))
            #expect(p.wholeClipID == clip.id && p.prefixFraction == fraction && p.id.hasPrefix(clip.id + "@"))
        }
        #expect(try clip.prefix(0.5).id == clip.id + "@50%")
        #expect(throws: ClipError.self) { try clip.prefix(0) }
        #expect(throws: ClipError.self) { try clip.prefix(1.5) }
    }

    @Test("changing every later frame leaves the prefix bit-identical")
    func laterFramesChangeNothing() throws {
        let clip = try Self.clip()
        let (n, f) = (clip.entities, clip.featureSize)
        let kept = try clip.prefix(0.5)
        var features = clip.features
        for i in (kept.frames * n * f)..<features.count { features[i] += 1 }
        var mask = clip.mask
        for i in (kept.frames * n)..<mask.count { mask[i] = 1 - mask[i] }
        let changed = try Clip(
            id: clip.id, frames: clip.frames, entities: n, featureSize: f, features: features, boxes: clip.boxes,
            mask: mask, categories: clip.categories, isHuman: clip.isHuman, labels: clip.labels,
            interactions: clip.interactions)
        let other = try changed.prefix(0.5)
        #expect(other.features == kept.features && other.mask == kept.mask && other.boxes == kept.boxes)
        #expect(try changed.prefix(1).features != clip.features)
    }

    @Test("synthetic --task online: every clip at 25, 50, 75 and 100 %, in order, in every split")
    func onlineTask() throws {
        let splits = try DataRequest.syntheticOnline(trainClips: 8, validationClips: 4, testClips: 4).load()
        #expect(splits.train.count == 32 && splits.test?.count == 16 && splits.validation?.count == 16)
        let fractions = try (0..<8).map { try splits.train.clip(at: $0).prefixFraction }
        #expect(fractions == [0.25, 0.5, 0.75, 1, 0.25, 0.5, 0.75, 1])
        #expect(try splits.train.clip(at: 5).wholeClipID == splits.train.clip(at: 4).wholeClipID)
        #expect(SyntheticDataset.teacherTasks[SyntheticDataset.online] == "video")
    }
}
