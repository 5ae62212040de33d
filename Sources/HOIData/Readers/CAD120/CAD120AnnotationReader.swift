import Autograd
import Foundation

/// Reads the CAD-120 release as Cornell distributes it:
///
///     <root>/Subject<k>_annotations/<activity>/activityLabel.txt   video,activity,subject,1:type,2:type,…
///                                             /labeling.txt       video,start,end,sub-activity,affordance…
///                                             /<video>.txt        frame, 11 × (9 orientation, conf, 3 position, conf),
///                                                                 4 × (3 position, conf): 171 numbers; last line END
///                                             /<video>_obj<k>.txt frame,object,x1,y1,x2,y2,… (pixels of 640 × 480)
///
/// Each labelled segment becomes a clip of 20 frames sampled uniformly, like LIGHTEN's.
/// The human's box is the bounding box of its joints projected with the Kinect's
/// intrinsics (focal length 525 px, centre 320, 240), widened by 10 %.
public enum CAD120AnnotationReader {
    public struct Segment: Sendable {
        public let subject: Int
        public let videoID: String
        public let clip: Clip
    }

    static let jointCount = 15
    static let numbersPerLine = 171
    /// No CAD-120 video is longer than this many frames; larger numbers are damage.
    static let maximumFrame = 1_000_000

    /// A frame number: a whole number in 0…`maximumFrame` (nil otherwise, never a trap).
    static func frameNumber(_ value: Float) -> Int? {
        guard value.isFinite, value >= 0, value <= Float(maximumFrame), value == value.rounded() else { return nil }
        return Int(value)
    }

    public static func read(root: URL) throws -> [Segment] {
        let fm = FileManager.default
        guard let subjects = try? fm.contentsOfDirectory(atPath: root.path) else {
            throw CAD120Error(path: root.path, problem: "is not a readable folder")
        }
        var segments: [Segment] = []
        for folder in subjects.sorted() where folder.hasPrefix("Subject") && folder.hasSuffix("_annotations") {
            guard let subject = Int(folder.dropFirst("Subject".count).dropLast("_annotations".count)) else { continue }
            let subjectURL = root.appendingPathComponent(folder)
            for activity in ((try? fm.contentsOfDirectory(atPath: subjectURL.path)) ?? []).sorted() {
                let activityURL = subjectURL.appendingPathComponent(activity)
                var isFolder: ObjCBool = false
                guard fm.fileExists(atPath: activityURL.path, isDirectory: &isFolder), isFolder.boolValue else {
                    continue
                }
                segments += try readActivity(activityURL, subject: subject)
            }
        }
        guard !segments.isEmpty else {
            throw CAD120Error(path: root.path, problem: "holds no SubjectN_annotations/<activity>/labeling.txt")
        }
        return segments
    }

    static func lines(_ url: URL) throws -> [String] {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw CAD120Error(path: url.path, problem: error.problem) }
        return CAD120ReleaseFiles.lines(of: text)
    }

    static func fields(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func readActivity(_ folder: URL, subject: Int) throws -> [Segment] {
        let labelsURL = folder.appendingPathComponent("activityLabel.txt")
        let objectTypes = try CAD120ReleaseFiles.activityLabels(try lines(labelsURL), path: labelsURL.path)
        let labelingURL = folder.appendingPathComponent("labeling.txt")
        var skeletons: [String: [Int: [Float]]] = [:]
        var tracks: [String: [[Int: [Float]]]] = [:]
        var segments: [Segment] = []
        for row in try CAD120ReleaseFiles.labeling(
            try lines(labelingURL), path: labelingURL.path, objectTypes: objectTypes)
        {
            func fail(_ p: String) -> CAD120Error {
                CAD120Error(path: labelingURL.path, problem: "line \(row.line): \(p)")
            }
            let (video, start, end, types) = (row.video, row.start, row.end, row.objectTypes)
            let (subactivity, affordances) = (row.subactivity, row.affordances)
            if skeletons[video] == nil {
                skeletons[video] = try readSkeleton(folder.appendingPathComponent("\(video).txt"))
            }
            if tracks[video] == nil {
                tracks[video] = try (0..<types.count).map { $0 + 1 }.map {
                    try readObjectTrack(folder.appendingPathComponent("\(video)_obj\($0).txt"))
                }
            }
            let count = CAD120Vocabulary.framesPerSegment
            let frames = (0..<count).map { i in
                start + Int((Double(end - start) * Double(i) / Double(count - 1)).rounded())
            }
            let skeleton = skeletons[video]!
            // A segment must lie within the frames the video's skeleton file records.
            if let first = skeleton.keys.min(), let last = skeleton.keys.max(), start < first || end > last {
                throw fail("segment \(start)-\(end) lies outside video \(video)'s frames \(first)…\(last)")
            }
            let humanBoxes: [[Float]?] = frames.map { frame in skeleton[frame].flatMap(projectedBox) }
            let objectBoxes: [[[Float]?]] = tracks[video]!.map { track in frames.map { track[$0] } }
            let poses = frames.map { frame in
                skeleton[frame].map { CAD120Features.pose(ArraySlice($0)) }
                    ?? [Float](repeating: 0, count: CAD120Features.poseSize)
            }
            let clip = try CAD120Features.clip(
                id: "\(video):\(start)-\(end)", boxes: [humanBoxes] + objectBoxes, pose: poses,
                objectCategories: types, subactivity: subactivity, affordances: affordances)
            segments.append(Segment(subject: subject, videoID: video, clip: clip))
        }
        return segments
    }

    /// Joint positions (15 × 3, millimetres) by frame number.
    static func readSkeleton(_ url: URL) throws -> [Int: [Float]] {
        try CAD120ReleaseFiles.skeleton(try lines(url), path: url.path)
    }

    /// Normalised boxes by frame number; all-zero boxes (no detection) are left out.
    static func readObjectTrack(_ url: URL) throws -> [Int: [Float]] {
        try CAD120ReleaseFiles.objectTrack(try lines(url), path: url.path)
    }

    /// The joints projected into the 640 × 480 image, their bounding box widened by 10 %, normalised.
    static func projectedBox(_ joints: [Float]) -> [Float]? {
        var (u0, v0, u1, v1) = (Float.infinity, Float.infinity, -Float.infinity, -Float.infinity)
        for j in 0..<jointCount {
            let (x, y, z) = (joints[3 * j], joints[3 * j + 1], joints[3 * j + 2])
            guard z > 1 else { continue }
            let u = 320 + 525 * x / z
            let v = 240 - 525 * y / z
            (u0, v0, u1, v1) = (min(u0, u), min(v0, v), max(u1, u), max(v1, v))
        }
        guard u0.isFinite, v0.isFinite else { return nil }
        let (pw, ph) = ((u1 - u0) * 0.1, (v1 - v0) * 0.1)
        return [
            (u0 - pw) / CAD120Vocabulary.imageWidth, (v0 - ph) / CAD120Vocabulary.imageHeight,
            (u1 + pw) / CAD120Vocabulary.imageWidth, (v1 + ph) / CAD120Vocabulary.imageHeight,
        ]
    }
}
