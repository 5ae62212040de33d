/// What a clip is labelled with: per label group of its task (`LabelGroupSpec`), the classes
/// present (a group of clip rows) or a class per node (a group of node rows). No group: no
/// labels (prediction on new data). `ClipLabels.video(classes:)` and `.entity(human:object:)`
/// (beside their tasks' declarations) build them.
public struct ClipLabels: Equatable, Sendable {
    public enum Group: Equatable, Sendable {
        /// The classes present in the clip.
        case present([Int])
        /// Per segment and entity ([S, N], row-major) a class, -1 for none.
        case perNode([Int])
    }

    public var groups: [String: Group]

    public init(_ groups: [String: Group]) { self.groups = groups }

    public static let none = ClipLabels([:])
}

/// One video clip as the model sees it: T sampled frames with up to N tracked entities
/// (humans and objects), each with a feature vector and a box per frame.
///
/// Arrays are row-major: `features` is [T, N, F], `boxes` [T, N, 4] as (x1, y1, x2, y2)
/// normalised to [0, 1], `mask` [T, N] with 1 where the entity is visible.
///
/// A clip may be a whole video of S labelled segments (CAD-120): its T = S · k frames are
/// the k frames sampled from each segment in turn, and entity labels are per (segment,
/// entity). Most clips are one segment (S = 1, k = T).
public struct Clip: Sendable {
    public let id: String
    public let frames: Int
    /// S, the number of segments; the frames per segment are `frames / segments`.
    public let segments: Int
    public let entities: Int
    public let featureSize: Int
    public let features: [Float]
    public let boxes: [Float]
    public let mask: [Float]
    public let categories: [Int]
    public let isHuman: [Bool]
    public let labels: ClipLabels
    /// Per frame, the entity the first human truly interacts with (-1: none), where
    /// known (the synthetic benchmark); used to score attention, never for training.
    public let interactions: [Int]?
    /// Per segment, the frames of the original video it spans, where the data says (CAD-120's
    /// whole videos): for predictions people can find in the video.
    public var segmentFrames: [ClosedRange<Int>]? = nil
    /// For a prefix of a clip (its first frames, for online recognition): which clip, and what
    /// share of its frames (`prefix(_:)`).
    public var prefixOf: String? = nil
    public var prefixFraction: Double? = nil

    /// The whole clip this one is (a prefix's clip, else itself).
    public var wholeClipID: String { prefixOf ?? id }

    /// Checks every size and value; a clip that passes cannot crash the model.
    public init(
        id: String, frames: Int, entities: Int, featureSize: Int,
        features: [Float], boxes: [Float], mask: [Float], categories: [Int], isHuman: [Bool],
        labels: ClipLabels, interactions: [Int]? = nil, segments: Int = 1
    ) throws(ClipError) {
        func fail(_ problem: String) -> ClipError { ClipError(clip: id, problem: problem) }
        guard frames > 0, entities > 0, featureSize >= 0 else {
            throw fail(
                "needs at least one frame and one entity (got T = \(frames), N = \(entities), F = \(featureSize))")
        }
        guard segments >= 1, frames % segments == 0 else {
            throw fail("has \(frames) frames, which do not split into \(segments) segments of equal length")
        }
        let tn = frames * entities
        guard features.count == tn * featureSize else {
            throw fail(
                "has \(features.count) feature values; T·N·F = \(frames)·\(entities)·\(featureSize) = \(tn * featureSize)"
            )
        }
        guard boxes.count == tn * 4 else { throw fail("has \(boxes.count) box values; T·N·4 = \(tn * 4)") }
        guard mask.count == tn else { throw fail("has \(mask.count) mask values; T·N = \(tn)") }
        guard categories.count == entities, isHuman.count == entities else {
            throw fail("has \(categories.count) categories and \(isHuman.count) human flags for \(entities) entities")
        }
        if let i = features.firstIndex(where: { !$0.isFinite }) {
            throw fail(
                "has a non-finite feature (\(features[i])) at frame \(i / (entities * max(featureSize, 1))), entity \((i / max(featureSize, 1)) % entities)"
            )
        }
        if let i = boxes.firstIndex(where: { !$0.isFinite }) {
            throw fail("has a non-finite box coordinate at frame \(i / (entities * 4)), entity \((i / 4) % entities)")
        }
        if let v = mask.first(where: { $0 != 0 && $0 != 1 }) {
            throw fail("has a mask value \(v); only 0 and 1 are allowed")
        }
        if let c = categories.first(where: { $0 < 0 }) { throw fail("has a negative category \(c)") }
        for (name, group) in labels.groups.sorted(by: { $0.key < $1.key }) {
            switch group {
            case .present(let classes):
                if let c = classes.first(where: { $0 < 0 }) { throw fail("has a negative \(name) class \(c)") }
            case .perNode(let values):
                guard values.count == segments * entities else {
                    let rows = segments == 1 ? "\(entities) entities" : "\(segments) segments of \(entities) entities"
                    throw fail("has \(values.count) \(name) labels for \(rows)")
                }
            }
        }
        if let interactions, interactions.count != frames {
            throw fail("has \(interactions.count) interaction targets for \(frames) frames")
        }
        self.id = id
        self.frames = frames
        self.segments = segments
        self.entities = entities
        self.featureSize = featureSize
        self.features = features
        self.boxes = boxes
        self.mask = mask
        self.categories = categories
        self.isHuman = isHuman
        self.labels = labels
        self.interactions = interactions
    }
}

/// A clip whose contents do not make sense, naming the clip and the problem.
extension Clip {
    /// k, the frames sampled from each segment.
    public var framesPerSegment: Int { frames / segments }
}

public struct ClipError: Error, CustomStringConvertible, Equatable {
    public let clip: String
    public let problem: String
    public var description: String { "clip \(clip) \(problem)" }
}
