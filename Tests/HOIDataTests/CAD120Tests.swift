import Foundation
import HOIData
import TestSupport
import Testing

@Suite("CAD-120")
struct CAD120Tests {
    static let lighten = Fixtures.shared.appendingPathComponent("data/cad120/lighten_dev.p")

    @Test("LIGHTEN's real pickle: 139 segments of 16 videos, 20 frames, human first, boxes normalised")
    func lightenFile() throws {
        let segments = try LightenPickleReader.read(contentsOf: Self.lighten)
        #expect(segments.count == 139 && Set(segments.map(\.videoID)).count == 16)
        let first = segments[0].clip
        #expect(first.id == "0504235245:1-30" && first.frames == 20 && first.entities == 2 && first.featureSize == 49)
        #expect(first.isHuman == [true, false] && first.categories == [0, 2], "person, then cup (index 1 + 1)")
        // Human box (row1, col1, row2, col2) = (1, 394.05, 466.46, 627.73) → (x1, y1, x2, y2) normalised.
        #expect(abs(first.boxes[0] - 394.048 / 640) < 1e-4 && abs(first.boxes[1] - 1.0 / 480) < 1e-6)
        #expect(abs(first.boxes[2] - 627.728 / 640) < 1e-4 && abs(first.boxes[3] - 466.456 / 480) < 1e-4)
        guard let (human, object) = first.labels.entity else {
            Issue.record("entity labels expected")
            return
        }
        #expect(human == [8, -1] && object == [-1, 8])
        // Sub-activity counts as the README lists them.
        var counts = [Int](repeating: 0, count: 10)
        var hidden = 0
        for s in segments {
            if let (h, _) = s.clip.labels.entity { counts[h[0]] += 1 }
            hidden += s.clip.mask.filter { $0 == 0 }.count
        }
        #expect(counts == [38, 31, 2, 0, 0, 10, 22, 8, 25, 3])
        #expect(hidden == 544, "all-zero boxes are missing detections")
        // The pose is relative to the torso: its own coordinates are 0.
        #expect(first.features[2 * 3] == 0 && first.features[2 * 3 + 1] == 0 && first.features[2 * 3 + 2] == 0)
    }

    @Test("splits never cut a video, and leave-one-subject-out holds out exactly one subject")
    func splits() throws {
        let segments = try LightenPickleReader.read(contentsOf: Self.lighten)
        let videos = segments.map(\.videoID)
        let (train, validation) = VideoSplits.byVideo(videoIDs: videos, validationFraction: 0.2, seed: 0)
        #expect(Set(train.map { videos[$0] }).isDisjoint(with: validation.map { videos[$0] }))
        #expect(train.count + validation.count == 139 && Set(validation.map { videos[$0] }).count == 3)
        #expect(VideoSplits.byVideo(videoIDs: videos, validationFraction: 0.2, seed: 0).validation == validation)
        let (rest, held) = VideoSplits.leaveOneSubjectOut(subjects: [1, 2, 1, 3], fold: 1)
        #expect(rest == [1, 3] && held == [0, 2])
    }

    @Test("the raw release: segments of 20 sampled frames, the human box from projected joints, labels by name")
    func rawRelease() throws {
        let root = Fixtures.temporaryFolder("cad-raw")
        defer { try? FileManager.default.removeItem(at: root) }
        try CAD120ReleaseWriter.write(to: root)
        let segments = try CAD120AnnotationReader.read(root: root)
        #expect(segments.count == 2 && segments.allSatisfy { $0.subject == 3 && $0.videoID == "1204142858" })
        let clip = segments[1].clip
        #expect(clip.id == "1204142858:6-12" && clip.frames == 20 && clip.entities == 3)
        #expect(clip.categories == [0, 7, 2], "person, microwave (6 + 1), cup (1 + 1)")
        guard let (human, object) = clip.labels.entity else {
            Issue.record("entity labels expected")
            return
        }
        #expect(human == [5, -1, -1] && object == [-1, 5, 8], "opening; openable, stationary")
        // Object 1 at frame 6 has box (106, 50, 206, 150) in pixels.
        let n = clip.entities
        #expect(abs(clip.boxes[4 * 1] - 106.0 / 640) < 1e-6 && abs(clip.boxes[4 * 1 + 3] - 150.0 / 480) < 1e-6)
        // The human box encloses the joints projected with focal length 525 around (320, 240).
        let human0 = Array(clip.boxes[0..<4])
        let u = (0..<15).map { 320 + 525 * Float(100 * $0) / 2000 }
        #expect(human0[0] < u.min()! / 640 && human0[2] > u.max()! / 640)
        // Object 2 has no box in frame 4: invisible there (segment 1 samples frames 1…5).
        let first = segments[0].clip
        let framesWithout = (0..<20).filter { first.mask[$0 * n + 2] == 0 }
        #expect(!framesWithout.isEmpty)
        let fold = VideoSplits.leaveOneSubjectOut(subjects: segments.map(\.subject), fold: 3)
        #expect(fold.test.count == 2 && fold.train.isEmpty)
    }

    @Test("broken raw files are refused with the file and the line")
    func rawBroken() throws {
        let root = Fixtures.temporaryFolder("cad-raw-broken")
        defer { try? FileManager.default.removeItem(at: root) }
        try CAD120ReleaseWriter.write(to: root, corruptSkeletonLine: 3)
        #expect { _ = try CAD120AnnotationReader.read(root: root) } throws: {
            "\($0)".contains("1204142858.txt") && "\($0)".contains("line 3 has 172 values")
        }
        let truncated = Fixtures.temporaryFolder("cad-raw-truncated")
        defer { try? FileManager.default.removeItem(at: truncated) }
        try CAD120ReleaseWriter.write(to: truncated)
        let skeleton = truncated.appendingPathComponent("Subject3_annotations/microwaving_food/1204142858.txt")
        let text = try String(contentsOf: skeleton, encoding: .utf8)
        try String(text.dropLast(5)).write(to: skeleton, atomically: true, encoding: .utf8)
        #expect { _ = try CAD120AnnotationReader.read(root: truncated) } throws: {
            "\($0)".contains("does not end with END")
        }
        let labeling = truncated.appendingPathComponent("Subject3_annotations/microwaving_food/labeling.txt")
        try "1204142858,1,5,dancing,reachable,stationary\n".write(to: labeling, atomically: true, encoding: .utf8)
        #expect { _ = try CAD120AnnotationReader.read(root: truncated) } throws: {
            "\($0)".contains("unknown sub-activity 'dancing'")
        }
        #expect { _ = try CAD120AnnotationReader.read(root: Fixtures.temporaryFolder("cad-empty")) } throws: {
            "\($0)".contains("no SubjectN_annotations")
        }
    }

    @Test("a LIGHTEN pickle of the wrong shape is refused naming the segment")
    func lightenBroken() throws {
        #expect { _ = try LightenPickleReader.read(contentsOf: Fixtures.url("data_p3.pkl")) } throws: {
            "\($0)".contains("not a list of segments")
        }
        let folder = Fixtures.temporaryFolder("lighten-cut")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("cut.p")
        try Data(contentsOf: Self.lighten).prefix(100_000).write(to: cut)
        #expect { _ = try LightenPickleReader.read(contentsOf: cut) } throws: { "\($0)".contains(cut.path) }
    }
}
