import Foundation

/// Reads the CAD-120 segments of LIGHTEN / STIGPN pickles (docs/DATA.md):
/// a list of dicts, one per ground-truth segment, with 20 sampled frames each.
public enum LightenPickleReader {
    public struct Segment: Sendable {
        public let videoID: String
        public let clip: Clip
    }

    public static func read(contentsOf url: URL) throws -> [Segment] {
        try interpret(try SafePickleReader.read(contentsOf: url), path: url.path)
    }

    /// The segments of a pickle held in memory (`path` names it in errors).
    public static func parse(_ data: Data, path: String) throws -> [Segment] {
        try interpret(try SafePickleReader.parse(data, path: path), path: path)
    }

    static func interpret(_ value: PickleValue, path: String) throws -> [Segment] {
        let url = URL(fileURLWithPath: path)
        guard let list = value.items else {
            throw CAD120Error(path: url.path, problem: "the pickle holds a \(value.kind), not a list of segments")
        }
        var segments: [Segment] = []
        for (i, item) in list.enumerated() {
            segments.append(try segment(item, index: i, path: url.path))
        }
        if let first = segments.first,
            let other = segments.first(where: { $0.clip.featureSize != first.clip.featureSize })
        {
            throw CAD120Error(
                path: url.path,
                problem:
                    "segments carry different feature sizes (\(first.clip.featureSize) and \(other.clip.featureSize)): some lack res50_feats"
            )
        }
        return segments
    }

    static func segment(_ item: PickleValue, index: Int, path: String) throws -> Segment {
        func fail(_ p: String) -> CAD120Error { CAD120Error(path: path, problem: "segment \(index): \(p)") }
        func field(_ key: String) throws -> PickleValue {
            guard let v = item[key] else { throw fail("has no '\(key)'") }
            return v
        }
        guard case .dict = item else { throw fail("is a \(item.kind), not a dict") }
        guard let video = try field("video_id").stringValue else { throw fail("'video_id' is not a string") }
        guard let boxes = try field("gt_bboxes").arrayValue, boxes.shape.count == 3, boxes.shape[2] == 4 else {
            throw fail("'gt_bboxes' is not an array of shape (1+K, T, 4)")
        }
        let (n, t) = (boxes.shape[0], boxes.shape[1])
        guard n >= 1, t >= 1 else { throw fail("'gt_bboxes' has no human or no frame") }
        guard let pose = try field("human_pose").arrayValue, pose.shape == [t, 15, 3] else {
            throw fail("'human_pose' is not an array of shape (\(t), 15, 3)")
        }
        guard let subactivity = try field("label_H").intValue,
            (0..<CAD120Vocabulary.subactivities.count).contains(subactivity)
        else {
            throw fail("'label_H' is not a sub-activity index 0..9")
        }
        guard let labels = try field("label_O").items, labels.count == n - 1 else {
            throw fail("'label_O' does not list one affordance per object")
        }
        var affordances: [Int] = []
        for l in labels {
            guard let a = l.intValue, (0..<CAD120Vocabulary.affordances.count).contains(a) else {
                throw fail("'label_O' holds \(l.kind), not an affordance index 0..11")
            }
            affordances.append(a)
        }
        guard let oneHot = try field("object_one_hot_vectors").arrayValue, oneHot.shape.count == 2,
            oneHot.shape[0] == n - 1 || n == 1
        else {
            throw fail("'object_one_hot_vectors' is not an array of shape (K, 10)")
        }
        let width = oneHot.shape.count == 2 ? oneHot.shape[1] : 0
        let hot = oneHot.floats
        // Each object's row must be one-hot over the ten categories: exactly one 1, the rest 0.
        guard n == 1 || width == CAD120Vocabulary.objects.count else {
            throw fail(
                "'object_one_hot_vectors' has \(width) columns, not one per category (\(CAD120Vocabulary.objects.count))"
            )
        }
        var categories: [Int] = []
        for k in 0..<(n - 1) {
            let row = hot[(k * width)..<((k + 1) * width)]
            let ones = row.indices.filter { row[$0] == 1 }
            guard ones.count == 1, row.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw fail(
                    "'object_one_hot_vectors' row \(k) is not one-hot (\(row.map { String(format: "%g", $0) }.joined(separator: " ")))"
                )
            }
            categories.append(ones[0] - k * width)
        }
        let b = boxes.floats
        guard b.allSatisfy(\.isFinite), pose.floats.allSatisfy(\.isFinite) else {
            throw fail("holds non-finite boxes or joints")
        }
        let normalised: [[[Float]?]] = (0..<n).map { e in
            (0..<t).map { frame in
                let o = (e * t + frame) * 4
                let (row1, col1, row2, col2) = (b[o], b[o + 1], b[o + 2], b[o + 3])
                if row1 == 0 && col1 == 0 && row2 == 0 && col2 == 0 { return nil }  // no detection
                return [
                    col1 / CAD120Vocabulary.imageWidth, row1 / CAD120Vocabulary.imageHeight,
                    col2 / CAD120Vocabulary.imageWidth, row2 / CAD120Vocabulary.imageHeight,
                ]
            }
        }
        let joints = pose.floats
        let poses = (0..<t).map { CAD120Features.pose(joints[($0 * 45)..<($0 * 45 + 45)]) }
        var appearance: [[[Float]]]?
        if let feats = item["res50_feats"]?.arrayValue {
            let v = feats.floats
            if feats.shape.count == 3, feats.shape[0] == n, feats.shape[1] == t {
                let f = feats.shape[2]
                appearance = (0..<n).map { e in
                    (0..<t).map { frame in Array(v[((e * t + frame) * f)..<((e * t + frame + 1) * f)]) }
                }
            } else if feats.shape.count == 3, feats.shape[0] == t, feats.shape[1] == n {
                let f = feats.shape[2]
                appearance = (0..<n).map { e in
                    (0..<t).map { frame in Array(v[((frame * n + e) * f)..<((frame * n + e + 1) * f)]) }
                }
            } else {
                throw fail("'res50_feats' of shape \(feats.shape) fits neither (1+K, T, F) nor (T, 1+K, F)")
            }
        }
        let frames = (try? field("seg_frames").items?.compactMap(\.intValue)) ?? nil
        let id = video + (frames.map { ":" + $0.map(String.init).joined(separator: "-") } ?? ":\(index)")
        let clip = try CAD120Features.clip(
            id: id, boxes: normalised, pose: poses, objectCategories: categories,
            subactivity: subactivity, affordances: affordances, appearance: appearance)
        return Segment(videoID: video, clip: clip)
    }
}

/// CAD-120 data that cannot be read, naming the file and the problem.
public struct CAD120Error: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public var description: String { "CAD-120 data \(path): \(problem)" }
}
