import Autograd
import HOIData
import Testing

@Suite("Clips and batches")
struct ClipAndBatchTests {
    static func clip(
        id: String = "c", frames: Int = 2, entities: Int = 2, features: [Float]? = nil,
        labels: ClipLabels = .video(classes: [1])
    ) throws -> Clip {
        try Clip(
            id: id, frames: frames, entities: entities, featureSize: 1,
            features: features ?? (0..<(frames * entities)).map(Float.init),
            boxes: (0..<(frames * entities)).flatMap { _ in [0.1, 0.1, 0.5, 0.6] as [Float] },
            mask: Array(repeating: 1, count: frames * entities), categories: Array(repeating: 0, count: entities),
            isHuman: (0..<entities).map { $0 == 0 }, labels: labels)
    }

    @Test("a clip with the wrong number of values, or NaN, is refused naming the clip")
    func validation() {
        #expect { _ = try Self.clip(features: [1, 2, 3]) } throws: {
            "\($0)" == "clip c has 3 feature values; T·N·F = 2·2·1 = 4"
        }
        #expect { _ = try Self.clip(id: "v7", features: [0, .nan, 0, 0]) } throws: {
            "\($0)".contains("clip v7 has a non-finite feature (nan) at frame 0, entity 1")
        }
        #expect { _ = try Self.clip(labels: .entity(human: [1], object: [])) } throws: {
            "\($0)".contains("labels for 2 entities")
        }
        #expect { _ = try Self.clip(frames: 0) } throws: { "\($0)".contains("at least one frame") }
    }

    @Test("collating pads frames and entities as invisible and unlabelled")
    func collate() throws {
        let a = try Self.clip(id: "a", frames: 2, entities: 2, labels: .video(classes: [1, 2]))
        let b = try Self.clip(id: "b", frames: 3, entities: 1, features: [7, 8, 9], labels: .video(classes: [0]))
        let batch = try Batch.testCollate([a, b], classes: 3)
        #expect(batch.features.shape == [2, 3, 2, 1] && batch.mask.shape == [2, 3, 2])
        #expect(batch.mask.values == [1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0])
        #expect(batch.features.values == [0, 1, 2, 3, 0, 0, 7, 0, 8, 0, 9, 0])
        #expect(batch.frameCounts == [2, 3])
        guard case .multiHot(let y)? = batch.targets?[LabelGroup.actions] else {
            Issue.record("video targets expected")
            return
        }
        #expect(y.values == [0, 1, 1, 1, 0, 0])
        #expect { _ = try Batch.testCollate([a], classes: 1) } throws: {
            "\($0)".contains("action class 1, but there are 1 classes")
        }
        #expect(throws: BatchError.self) { _ = try Batch.testCollate([]) }
    }

    @Test("entity labels are padded with -1")
    func entityLabels() throws {
        let a = try Self.clip(id: "a", entities: 2, labels: .entity(human: [3, -1], object: [-1, 5]))
        let b = try Self.clip(id: "b", entities: 1, labels: .entity(human: [1], object: [-1]))
        let batch = try Batch.testCollate([a, b])
        guard case .classes(let h)? = batch.targets?[LabelGroup.subactivity],
            case .classes(let o)? = batch.targets?[LabelGroup.affordance]
        else {
            Issue.record("entity targets expected")
            return
        }
        #expect(h == [3, -1, 1, -1] && o == [-1, 5, -1, -1])
        #expect(batch.isHuman.values == [1, 0, 1, 0])
    }
}
