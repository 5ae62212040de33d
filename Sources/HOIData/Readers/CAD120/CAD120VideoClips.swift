import Foundation

/// Whole CAD-120 videos as clips of segments (`cad120-gt`): the k frames sampled uniformly
/// from each labelled segment in turn (frames repeat in segments shorter than k), entity 0
/// the human and entity 1 the video's object, and labels per (segment, entity).
///
/// Node features (F = 13, the same for both entities): the box's velocity (Δcx, Δcy, Δw, Δh
/// per frame of the video, a central difference over ±2 frames, ×20); the segment's length
/// (ln frames / ln 200) and the frame's place in its segment (0 … 1); and, where the other
/// entity is visible too, where it is relative to this one (Δcx, Δcy of the centres, ×2), the
/// share of this box it covers, and how that offset moves (its Δ per frame, ×20); and the
/// segments before this one and (for detection only: anticipation and online detection must
/// not know how the video goes on) after it, each / 10. Positions
/// and sizes reach the model through its box geometry. All of it compares the two entities
/// only after the human's box is projected into the image (`CAD120GroundTruthReader.projected`,
/// at a nominal depth): the file keeps the human in world coordinates and the object in pixels.
public enum CAD120VideoClips {
    public static let featureSize = 13
    static let velocityScale: Float = 20
    static let longestSegment: Float = 200
    static let segmentScale: Float = 10

    /// What the clip's labels say of each segment.
    public enum Labels: String, CaseIterable, Sendable {
        /// The segment's own sub-activity and affordance, from the whole video.
        case detection
        /// The next segment's (none for the last): predicted from the segments so far.
        case anticipation
        /// The segment's own, predicted from the segments so far (0 … s): what a system that
        /// must answer as the video plays can do.
        case online

        /// Whether a segment may know how the video goes on (how many segments follow).
        var seesTheFuture: Bool { self == .detection }
    }

    public static func clip(_ video: CAD120GroundTruthReader.Video, framesPerSegment k: Int, labels: Labels)
        throws(ClipError) -> Clip
    {
        let (s, n, f) = (video.segments.count, 2, featureSize)
        let t = s * k
        var features = [Float](repeating: 0, count: t * n * f)
        var boxes = [Float](repeating: 0, count: t * n * 4)
        var mask = [Float](repeating: 0, count: t * n)
        for (si, segment) in video.segments.enumerated() {
            let length = segment.length
            let tracks: [[SIMD4<Float>?]] = [segment.humanBoxes.map { $0 }, segment.objectBoxes]
            let offsets = (0..<n).map { e in relativeTrack(tracks[e], to: tracks[1 - e]) }
            for i in 0..<k {
                let frame = k > 1 ? Int((Double(length - 1) * Double(i) / Double(k - 1)).rounded()) : (length - 1) / 2
                for e in 0..<n {
                    guard let box = tracks[e][frame] else { continue }
                    let at = (si * k + i) * n + e
                    mask[at] = 1
                    for q in 0..<4 { boxes[4 * at + q] = box[q] }
                    let velocity = Self.velocity(tracks[e], at: frame)
                    let row = at * f
                    for q in 0..<4 { features[row + q] = velocity[q] * velocityScale }
                    features[row + 4] = Foundation.log(Float(length)) / Foundation.log(longestSegment)
                    features[row + 5] = k > 1 ? Float(i) / Float(k - 1) : 0
                    if let other = tracks[1 - e][frame], let offset = offsets[e][frame] {
                        features[row + 6] = offset.x * 2
                        features[row + 7] = offset.y * 2
                        features[row + 8] = coverage(of: box, by: other)
                        let moving = Self.velocity(offsets[e].map { $0.map { SIMD4($0.x, $0.y, 0, 0) } }, at: frame)
                        features[row + 9] = moving[0] * velocityScale
                        features[row + 10] = moving[1] * velocityScale
                    }
                    // Where the segment stands in the video: segments before it and, where the
                    // labels are its own (not the next segment's), segments after it.
                    features[row + 11] = Float(si) / segmentScale
                    features[row + 12] = labels.seesTheFuture ? Float(video.segments.count - 1 - si) / segmentScale : 0
                }
            }
        }
        var human = [Int](repeating: -1, count: s * n)
        var object = [Int](repeating: -1, count: s * n)
        for si in 0..<s {
            let source = labels == .anticipation ? si + 1 : si
            guard source < s else { continue }
            human[si * n] = video.segments[source].subactivity
            object[si * n + 1] = video.segments[source].affordance
        }
        var clip = try Clip(
            id: video.id, frames: t, entities: n, featureSize: f, features: features, boxes: boxes, mask: mask,
            categories: [0, video.objectCategory + 1], isHuman: [true, false],
            labels: .entity(human: human, object: object), segments: s)
        clip.segmentFrames = video.segments.map { $0.start...$0.end }
        return clip
    }

    /// Per frame, the other box's centre minus this box's centre (nil unless both are there).
    static func relativeTrack(_ track: [SIMD4<Float>?], to other: [SIMD4<Float>?]) -> [SIMD2<Float>?] {
        zip(track, other).map { a, b in
            guard let a, let b else { return nil }
            return SIMD2((b[0] + b[2]) / 2 - (a[0] + a[2]) / 2, (b[1] + b[3]) / 2 - (a[1] + a[3]) / 2)
        }
    }

    /// The share of `box`'s area that `other` covers (0 for an empty box).
    static func coverage(of box: SIMD4<Float>, by other: SIMD4<Float>) -> Float {
        let w = max(0, min(box[2], other[2]) - max(box[0], other[0]))
        let h = max(0, min(box[3], other[3]) - max(box[1], other[1]))
        let area = max(box[2] - box[0], 0) * max(box[3] - box[1], 0)
        return area > 1e-6 ? w * h / area : 0
    }

    /// Δ(cx, cy, w, h) per frame at `frame`: the central difference over the nearest tracked
    /// frames within ±2 of it (0 when the box is alone).
    static func velocity(_ track: [SIMD4<Float>?], at frame: Int) -> SIMD4<Float> {
        func shape(_ b: SIMD4<Float>) -> SIMD4<Float> {
            SIMD4((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1])
        }
        let before = (max(frame - 2, 0)...frame).first { track[$0] != nil }
        let after = (frame...min(frame + 2, track.count - 1)).reversed().first { track[$0] != nil }
        guard let a = before, let b = after, b > a, let first = track[a], let last = track[b] else { return .zero }
        return (shape(last) - shape(first)) / Float(b - a)
    }
}
