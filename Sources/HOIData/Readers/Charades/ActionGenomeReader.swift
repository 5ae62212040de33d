import Foundation

/// Builds geometry-only Charades clips from Action Genome's box annotations, read with
/// the safe pickle reader:
///
/// - `person_bbox.pkl`: {'<id>.mp4/<frame>.png': {'bbox': ndarray [k, 4] (x1, y1, x2, y2 pixels), 'bbox_size': (w, h), …}}
/// - `object_bbox_and_relationship.pkl`: {same key: [{'class': name, 'bbox': (x, y, w, h) or None, 'visible': bool, …}]}
///
/// Entities: the person, then each object class seen in the video (one track per
/// class). Features (F = 5): the box's motion since the previous annotated frame
/// (Δcx, Δcy, Δw, Δh, ×10) and its area. Frames are the annotated ones, in order, at
/// most `maximumFrames` (sampled uniformly).
public enum ActionGenomeReader {
    /// Action Genome's 36 object classes; category 0 is the person.
    public static let objectClasses = [
        "bag", "bed", "blanket", "book", "box", "broom", "chair", "closet/cabinet", "clothes", "cup/glass/bottle",
        "dish",
        "door", "doorknob", "doorway", "floor", "food", "groceries", "laptop", "light", "medicine", "mirror",
        "paper/notebook", "phone/camera", "picture", "pillow", "refrigerator", "sandwich", "shelf", "shoe",
        "sofa/couch",
        "table", "television", "towel", "vacuum", "window",
    ]
    public static var categoryNames: [String] { ["person"] + objectClasses }
    public static let featureSize = 5

    /// Names as the annotation files spell them, mapped to the classes above.
    static func category(_ name: String) -> Int? {
        let aliases = [
            "closet": "closet/cabinet", "cabinet": "closet/cabinet", "cup": "cup/glass/bottle",
            "glass": "cup/glass/bottle",
            "bottle": "cup/glass/bottle", "paper": "paper/notebook", "notebook": "paper/notebook",
            "phone": "phone/camera",
            "camera": "phone/camera", "sofa": "sofa/couch", "couch": "sofa/couch",
        ]
        let n = name.lowercased()
        return objectClasses.firstIndex(of: aliases[n] ?? n).map { $0 + 1 }
    }

    /// Clips for the given videos; videos without any annotated frame are left out.
    public static func clips(personFile: URL, objectFile: URL, videos: [CharadesVideo], maximumFrames: Int = 32) throws
        -> (clips: [Clip], skipped: [String])
    {
        try clips(
            persons: try SafePickleReader.read(contentsOf: personFile),
            objects: try SafePickleReader.read(contentsOf: objectFile),
            personFile: personFile, objectFile: objectFile, videos: videos, maximumFrames: maximumFrames)
    }

    /// The same from the two files' values (read elsewhere; the URLs name them in errors).
    public static func clips(
        persons: PickleValue, objects: PickleValue, personFile: URL, objectFile: URL, videos: [CharadesVideo],
        maximumFrames: Int = 32
    ) throws -> (clips: [Clip], skipped: [String]) {
        guard case .dict(let personPairs) = persons else {
            throw CharadesError(path: personFile.path, problem: "holds a \(persons.kind), not a dict of frames")
        }
        guard case .dict(let objectPairs) = objects else {
            throw CharadesError(path: objectFile.path, problem: "holds a \(objects.kind), not a dict of frames")
        }
        var personFrames: [String: [(frame: Int, value: PickleValue)]] = [:]
        for (key, value) in personPairs {
            guard let (video, frame) = parseKey(key) else {
                throw CharadesError(path: personFile.path, problem: "key \(key) is not '<id>.mp4/<frame>.png'")
            }
            personFrames[video, default: []].append((frame, value))
        }
        var objectFrames: [String: [Int: PickleValue]] = [:]
        for (key, value) in objectPairs {
            guard let (video, frame) = parseKey(key) else {
                throw CharadesError(path: objectFile.path, problem: "key \(key) is not '<id>.mp4/<frame>.png'")
            }
            objectFrames[video, default: [:]][frame] = value
        }
        var clips: [Clip] = []
        var skipped: [String] = []
        for video in videos {
            guard let frames = personFrames[video.id], !frames.isEmpty else {
                skipped.append(video.id)
                continue
            }
            clips.append(
                try clip(
                    video: video, persons: frames.sorted { $0.frame < $1.frame },
                    objects: objectFrames[video.id] ?? [:],
                    maximumFrames: maximumFrames, path: personFile.path))
        }
        return (clips, skipped)
    }

    static func parseKey(_ key: PickleValue) -> (String, Int)? {
        guard let text = key.stringValue else { return nil }
        let parts = text.split(separator: "/")
        guard parts.count == 2, parts[0].hasSuffix(".mp4"), parts[1].hasSuffix(".png"),
            let frame = Int(parts[1].dropLast(4))
        else { return nil }
        return (String(parts[0].dropLast(4)), frame)
    }

    static func clip(
        video: CharadesVideo, persons: [(frame: Int, value: PickleValue)], objects: [Int: PickleValue],
        maximumFrames: Int, path: String
    ) throws -> Clip {
        func fail(_ p: String) -> CharadesError { CharadesError(path: path, problem: "video \(video.id): \(p)") }
        let picked =
            persons.count <= maximumFrames
            ? persons
            : (0..<maximumFrames).map {
                persons[Int((Double($0) * Double(persons.count - 1) / Double(maximumFrames - 1)).rounded())]
            }
        // Entities: person, then object classes in order of first appearance.
        var classes: [Int] = []
        var boxes: [[Int: [Float]]] = [[:]]
        for (t, entry) in picked.enumerated() {
            guard let size = entry.value["bbox_size"]?.items, size.count == 2, let w = size[0].doubleValue,
                let h = size[1].doubleValue, w > 0, h > 0
            else {
                throw fail("frame \(entry.frame) has no valid 'bbox_size' (width, height)")
            }
            if let array = entry.value["bbox"]?.arrayValue, array.count >= 4 {
                let b = array.floats
                boxes[0][t] = [b[0] / Float(w), b[1] / Float(h), b[2] / Float(w), b[3] / Float(h)]
            }
            for object in objects[entry.frame]?.items ?? [] {
                guard let name = object["class"]?.stringValue else {
                    throw fail("frame \(entry.frame) has an object without 'class'")
                }
                guard let category = category(name) else {
                    throw fail("frame \(entry.frame): unknown object class '\(name)'")
                }
                if object["visible"] == .bool(false) { continue }
                guard
                    let xywh = object["bbox"]?.items
                        ?? object["bbox"]?.arrayValue.map({ $0.floats.map { PickleValue.float(Double($0)) } }),
                    xywh.count == 4
                else { continue }
                let v = xywh.compactMap(\.doubleValue).map(Float.init)
                guard v.count == 4 else { continue }
                if !classes.contains(category) {
                    classes.append(category)
                    boxes.append([:])
                }
                let e = classes.firstIndex(of: category)! + 1
                boxes[e][t] = [v[0] / Float(w), v[1] / Float(h), (v[0] + v[2]) / Float(w), (v[1] + v[3]) / Float(h)]
            }
        }
        let (t, n, f) = (picked.count, boxes.count, featureSize)
        var features = [Float](repeating: 0, count: t * n * f)
        var flat = [Float](repeating: 0, count: t * n * 4)
        var mask = [Float](repeating: 0, count: t * n)
        for e in 0..<n {
            for frame in 0..<t {
                guard let b = boxes[e][frame] else { continue }
                guard b.allSatisfy(\.isFinite) else { throw fail("a box holds a non-finite value") }
                let k = frame * n + e
                mask[k] = 1
                for q in 0..<4 { flat[4 * k + q] = b[q] }
                if frame > 0, let a = boxes[e][frame - 1] {
                    features[k * f] = ((b[0] + b[2]) - (a[0] + a[2])) * 5
                    features[k * f + 1] = ((b[1] + b[3]) - (a[1] + a[3])) * 5
                    features[k * f + 2] = ((b[2] - b[0]) - (a[2] - a[0])) * 10
                    features[k * f + 3] = ((b[3] - b[1]) - (a[3] - a[1])) * 10
                }
                features[k * f + 4] = max(b[2] - b[0], 0) * max(b[3] - b[1], 0)
            }
        }
        return try Clip(
            id: video.id, frames: t, entities: n, featureSize: f, features: features, boxes: flat, mask: mask,
            categories: [0] + classes, isHuman: (0..<n).map { $0 == 0 }, labels: .video(classes: video.classes))
    }
}
