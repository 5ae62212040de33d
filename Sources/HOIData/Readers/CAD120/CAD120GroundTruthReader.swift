import Foundation

/// Reads CAD-120 ground truth in the format of the knowledge-graph HOI code base
/// (`CAD120_GT_…pkl`, docs/DATA.md): a dict from video id to the video's activity, subject,
/// first object and its ground-truth segments in time order, each with one box per frame
/// for the human (skeleton world coordinates) and for the object (image pixels).
public enum CAD120GroundTruthReader {
    /// One labelled segment, its boxes already in the frame the model uses (see `Video`).
    public struct Segment: Sendable, Equatable {
        /// First and last frame, 1-based, inclusive.
        public let start: Int
        public let end: Int
        /// The human's sub-activity, as an index of `CAD120Vocabulary.subactivities`.
        public let subactivity: Int
        /// The object's affordance, as an index of `CAD120Vocabulary.groundTruthAffordances`.
        public let affordance: Int
        /// Per frame of the segment: the human's box, (x1, y1, x2, y2) in [0, 1].
        public let humanBoxes: [SIMD4<Float>]
        /// Per frame: the object's box, or nil where it was not tracked (or the array is short).
        public let objectBoxes: [SIMD4<Float>?]
        /// Per frame: the human's box as stored, (x1, y1, x2, y2) in normalised world coordinates.
        public let humanWorldBoxes: [SIMD4<Float>]

        public var length: Int { end - start + 1 }
    }

    public struct Video: Sendable {
        public let id: String
        public let subject: Int
        public let activity: Int
        /// The object's category, as an index of `CAD120Vocabulary.objects`.
        public let objectCategory: Int
        public let segments: [Segment]
    }

    /// The depth at which the human's world box is projected into the image, in millimetres:
    /// the file keeps no depth, and CAD-120's subjects stand about this far from the camera.
    public static let nominalDepth: Float = 2500
    /// The Kinect's intrinsics as CAD-120 uses them: focal length and centre, in pixels of 640 × 480.
    static let focal: Float = 525, centre = SIMD2<Float>(320, 240)

    public static func read(contentsOf url: URL) throws -> [Video] {
        try interpret(try SafePickleReader.read(contentsOf: url), path: url.path)
    }

    /// The videos of a pickle held in memory (`path` names it in errors).
    public static func parse(_ data: Data, path: String) throws -> [Video] {
        try interpret(try SafePickleReader.parse(data, path: path), path: path)
    }

    static func interpret(_ value: PickleValue, path: String) throws -> [Video] {
        let url = URL(fileURLWithPath: path)
        guard case .dict(let entries) = value else {
            throw CAD120Error(
                path: url.path, problem: "the pickle holds a \(value.kind), not a dict from video id to video")
        }
        var videos: [Video] = []
        for (key, entry) in entries {
            guard let id = key.stringValue else {
                throw CAD120Error(path: url.path, problem: "a video id is a \(key.kind), not a string")
            }
            videos.append(try video(entry, id: id, path: url.path))
        }
        guard !videos.isEmpty else { throw CAD120Error(path: url.path, problem: "holds no video") }
        return videos.sorted { $0.id < $1.id }
    }

    static func video(_ entry: PickleValue, id: String, path: String) throws -> Video {
        func fail(_ p: String) -> CAD120Error { CAD120Error(path: path, problem: "video \(id): \(p)") }
        guard case .dict = entry else { throw fail("is a \(entry.kind), not a dict") }
        guard let subjectName = entry["subject"]?.stringValue ?? entry["Subject_name"]?.stringValue,
            let subject = Int(subjectName.lowercased().replacingOccurrences(of: "subject", with: ""))
        else {
            throw fail("has no 'subject' of the form subjectN")
        }
        guard let activity = entry["high_level_activity"]?.intValue else {
            throw fail("has no integer 'high_level_activity'")
        }
        guard let objectType = entry["object_type"]?.stringValue else { throw fail("has no 'object_type'") }
        let objectName = String(objectType.split(separator: ":").last ?? Substring(objectType))
        guard let category = CAD120Vocabulary.objectIndex(objectName) else {
            throw fail(
                "unknown object type '\(objectName)' (known: \(CAD120Vocabulary.objects.joined(separator: ", ")))")
        }
        guard let list = entry["segments"]?.items, !list.isEmpty else { throw fail("has no list of 'segments'") }
        var segments: [Segment] = []
        for (k, item) in list.enumerated() {
            segments.append(try segment(item, fail: { fail("segment \(k): \($0)") }))
        }
        // Consecutive segments may share their boundary frame (one video of the file does).
        for (a, b) in zip(segments, segments.dropFirst()) where b.start < a.end {
            throw fail("segments \(a.start)-\(a.end) and \(b.start)-\(b.end) overlap or are out of order")
        }
        return Video(id: id, subject: subject, activity: activity, objectCategory: category, segments: segments)
    }

    static func segment(_ item: PickleValue, fail: (String) -> CAD120Error) throws -> Segment {
        guard case .dict = item else { throw fail("is a \(item.kind), not a dict") }
        guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start >= 0, end >= start else {
            throw fail("has no integer 'start' ≤ 'end'")
        }
        let length = end - start + 1
        guard let stored = item["human_affordance"]?.intValue,
            let subactivity = CAD120Vocabulary.groundTruthSubactivity(stored)
        else {
            throw fail(
                "'human_affordance' (the sub-activity) is not one of the file's indices 0…10 other than 8 (scrubbing, unused)"
            )
        }
        guard let affordance = item["object_affordance"]?.intValue,
            CAD120Vocabulary.groundTruthAffordances.indices.contains(affordance)
        else {
            throw fail(
                "'object_affordance' is not an affordance index 0…\(CAD120Vocabulary.groundTruthAffordances.count - 1)")
        }
        let human = try boxes(item["human_bboxes"], name: "human_bboxes", length: length, fail: fail)
        guard human.count == length else { throw fail("'human_bboxes' has \(human.count) rows for \(length) frames") }
        let object = try boxes(item["object_bboxes"], name: "object_bboxes", length: length, fail: fail)
        // The writing script dropped the last row of some segments' object arrays.
        guard object.count == length || object.count == length - 1 else {
            throw fail("'object_bboxes' has \(object.count) rows for \(length) frames")
        }
        let objectBoxes: [SIMD4<Float>?] = (0..<length).map { f in
            guard f < object.count, object[f] != .zero else { return nil }  // not tracked
            return object[f]
        }
        return Segment(
            start: start, end: end, subactivity: subactivity, affordance: affordance,
            humanBoxes: human.map(projected), objectBoxes: objectBoxes,
            humanWorldBoxes: human.map { SIMD4($0[1], $0[0], $0[3], $0[2]) })
    }

    /// Rows of an [L, 4] array, every value finite and within [-1, 2] (normalised coordinates).
    static func boxes(_ value: PickleValue?, name: String, length: Int, fail: (String) -> CAD120Error) throws -> [SIMD4<
        Float
    >] {
        guard let array = value?.arrayValue, array.shape.count == 2, array.shape[1] == 4 else {
            throw fail("'\(name)' is not an array of shape (frames, 4)")
        }
        let v = array.floats
        guard v.allSatisfy({ $0.isFinite && $0 >= -1 && $0 <= 2 }) else {
            throw fail("'\(name)' holds values that are not finite normalised coordinates")
        }
        return (0..<array.shape[0]).map { SIMD4(v[4 * $0], v[4 * $0 + 1], v[4 * $0 + 2], v[4 * $0 + 3]) }
    }

    /// The human's box, stored as (y1, x1, y2, x2) of the skeleton's world x and y (mm + 1000,
    /// over 2000; y up), projected into the image at `nominalDepth`: (x1, y1, x2, y2) in [0, 1]
    /// of the 640 × 480 image, y down, comparable (roughly) with the object's image box.
    static func projected(_ stored: SIMD4<Float>) -> SIMD4<Float> {
        let (y1, x1, y2, x2) = (stored[0], stored[1], stored[2], stored[3])
        func u(_ x: Float) -> Float { (centre.x + focal * (2000 * x - 1000) / nominalDepth) / 640 }
        func v(_ y: Float) -> Float { (centre.y - focal * (2000 * y - 1000) / nominalDepth) / 480 }
        return SIMD4(u(x1), v(y2), u(x2), v(y1))
    }
}
