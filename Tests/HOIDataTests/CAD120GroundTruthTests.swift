import Foundation
import HOIData
import Settings
import TestSupport
import Testing

@Suite("CAD-120 ground truth (cad120-gt)")
struct CAD120GroundTruthTests {
    static let real = Fixtures.shared.appendingPathComponent(
        "data/cad120/CAD120_GT_all_subjects_training_new_wo_having_meal.pkl")

    @Test(
        "a small file: subjects, label maps, the human's world box projected, the short object array, untracked frames")
    func smallFile() throws {
        let videos = try CAD120GroundTruthReader.read(contentsOf: Fixtures.url("cad120_gt_small.pkl"))
        #expect(videos.map(\.id) == ["0510175829", "1204142055"] && videos.map(\.subject) == [3, 1])
        #expect(videos[1].objectCategory == CAD120Vocabulary.objects.firstIndex(of: "bowl"))
        let first = videos[1].segments[0]
        #expect(first.start == 1 && first.end == 12 && first.subactivity == 0 && first.affordance == 0)
        // Stored (y1, x1, y2, x2) = (0.1, 0.3, 0.8, 0.6) in world units: u = (320 + 525 (2000x - 1000) / 2500) / 640.
        let u1 = (320 + 525 * (2000 * Float(0.3) - 1000) / 2500) / 640
        let v1 = (240 - 525 * (2000 * Float(0.8) - 1000) / 2500) / 480
        #expect(abs(first.humanBoxes[0][0] - u1) < 1e-6 && abs(first.humanBoxes[0][1] - v1) < 1e-6)
        #expect(first.humanBoxes[0][2] > first.humanBoxes[0][0] && first.humanBoxes[0][3] > first.humanBoxes[0][1])
        #expect(first.humanWorldBoxes[0] == SIMD4(0.3, 0.1, 0.6, 0.8))
        let middle = videos[1].segments[1]
        #expect(middle.objectBoxes[2] == nil && middle.objectBoxes[1] != nil, "an all-zero box: not tracked")
        let last = videos[1].segments[2]
        #expect(
            last.objectBoxes.count == last.length && last.objectBoxes.last! == nil, "the missing last row: not tracked")
        // The file's 9 (null) is our 8; 11 is its own affordance index (stationary).
        #expect(
            videos[0].segments[1].subactivity == 8
                && CAD120Vocabulary.groundTruthAffordances[videos[0].segments[1].affordance] == "stationary")
    }

    @Test("whole-video clips: k frames per segment, labels per (segment, entity), anticipation shifted by one segment")
    func clips() throws {
        let video = try CAD120GroundTruthReader.read(contentsOf: Fixtures.url("cad120_gt_small.pkl"))[1]
        let clip = try CAD120VideoClips.clip(video, framesPerSegment: 4, labels: .detection)
        #expect(
            clip.segments == 3 && clip.frames == 12 && clip.entities == 2
                && clip.featureSize == CAD120VideoClips.featureSize)
        guard let (human, object) = clip.labels.entity else {
            Issue.record("entity labels")
            return
        }
        #expect(human == [0, -1, 1, -1, 6, -1] && object == [-1, 0, -1, 1, -1, 7])
        let ahead = try CAD120VideoClips.clip(video, framesPerSegment: 4, labels: .anticipation)
        guard let (nextHuman, nextObject) = ahead.labels.entity else {
            Issue.record("entity labels")
            return
        }
        #expect(nextHuman == [1, -1, 6, -1, -1, -1] && nextObject == [-1, 1, -1, 7, -1, -1])
        // The last sampled frame of the last segment is the missing object row: invisible there.
        #expect(clip.mask[(11 * 2) + 1] == 0 && clip.mask[11 * 2] == 1)
        // The object moves right by 0.2 over 17 frames in segment 1: Δcx per frame × 20.
        let f = CAD120VideoClips.featureSize
        let velocity = clip.features[((4 + 1) * 2 + 1) * f]
        #expect(abs(velocity - 0.2 / 17 * 20) < 1e-4, "\(velocity)")
        // Anticipation clips do not say how many segments follow (the feature after "segments before").
        #expect(ahead.features[f - 1] == 0 && clip.features[f - 1] != 0)
        // Online detection: the segment's own labels, and no more knowledge of what follows
        // than anticipation has: its features are anticipation's, its labels detection's.
        let online = try CAD120VideoClips.clip(video, framesPerSegment: 4, labels: .online)
        #expect(online.labels == clip.labels && online.features == ahead.features && online.boxes == clip.boxes)
        #expect(online.segmentFrames == video.segments.map { $0.start...$0.end })
    }

    @Test("--task online: causal context, the segment's own labels, no next-segment shift in the data's info")
    func onlineTask() throws {
        var request = DataRequest()
        request[DataSettings.dataset] = CAD120GroundTruthDataset.name
        request[DataSettings.data] = Fixtures.url("cad120_gt_small.pkl").path
        request[DataSettings.task] = "online"
        let splits = try request.load()
        #expect(splits.info.temporalContext == .causal && splits.info.labelsOfNextSegment == false)
        #expect(splits.info.taskTitle == "online detection")
        request[DataSettings.task] = "anticipation"
        #expect(try request.load().info.taskTitle == "anticipation")
    }

    @Test(
        "malformed files are refused naming the file, the video and the problem",
        arguments: [
            ("scrubbing", "scrubbing"), ("overlap", "overlap"), ("shape", "'object_bboxes' has 3 rows"),
            ("subject", "subjectN"), ("nan", "not finite"),
        ])
    func malformed(name: String, fragment: String) {
        let url = Fixtures.url("cad120_gt_bad_\(name).pkl")
        #expect { _ = try CAD120GroundTruthReader.read(contentsOf: url) } throws: {
            "\($0)".contains(url.path) && "\($0)".contains("video ") && "\($0)".contains(fragment)
        }
    }

    @Test("the data set: leave-one-subject-out folds, validation by whole videos of the other subjects, tasks")
    func dataset() throws {
        var request = DataRequest()
        request[DataSettings.dataset] = "cad120-gt"
        request[DataSettings.data] = Fixtures.url("cad120_gt_small.pkl").path
        request[DataSettings.fold] = 3
        request[DataSettings.validationFraction] = 0
        let splits = try request.load()
        #expect(splits.test?.count == 1 && splits.train.count == 1 && splits.validation == nil)
        #expect(try splits.test?.clip(at: 0).id == "0510175829")
        #expect(splits.info.temporalContext == .video && splits.info.affordanceNames.count == 13)
        request[DataSettings.task] = "anticipation"
        #expect(try request.load().info.temporalContext == .causal)
        request[DataSettings.fold] = 5
        #expect { _ = try request.load() } throws: { "\($0)".contains("no segment of subject 5") }
        request[DataSettings.task] = "guessing"
        #expect { _ = try request.load() } throws: { "\($0)".contains("detection, anticipation") }
        request[DataSettings.task] = nil
        request[SyntheticDataset.trainClips] = 3
        #expect { _ = try request.load() } throws: {
            "\($0)".contains("--train-clips does not apply to --dataset cad120-gt")
        }
    }

    @Test("the real file: 84 videos of subjects 1, 3, 4, 743 segments, the README's label counts")
    func realFile() throws {
        let videos = try CAD120GroundTruthReader.read(contentsOf: Self.real)
        #expect(videos.count == 84 && Set(videos.map(\.subject)) == [1, 3, 4])
        let segments = videos.flatMap(\.segments)
        #expect(segments.count == 743 && segments.reduce(0) { $0 + $1.length } == 36_175)
        var counts = [Int](repeating: 0, count: CAD120Vocabulary.subactivities.count)
        for s in segments { counts[s.subactivity] += 1 }
        // reaching 200, moving 197, pouring 24, eating 9, drinking 9, opening 38, placing 129, closing 27, null 101, cleaning 9
        #expect(counts == [200, 197, 24, 9, 9, 38, 129, 27, 101, 9])
        #expect(segments.filter { $0.affordance == 11 }.count == 437, "stationary")
    }
}
