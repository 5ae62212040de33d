/// The per-frame features of a CAD-120 entity, shared by both readers (F = 49, plus any
/// appearance features a file carries):
///
/// - 45 values: the 15 Kinect joints of a human, relative to the torso and divided by
///   the mean distance of the joints from the torso (zeros for objects);
/// - 4 values: the box's motion since the previous frame (Δcx, Δcy, Δw, Δh of the
///   normalised box, ×10; zeros in the first frame or next to a missing box).
/// Box position and size themselves reach the model through its node geometry.
enum CAD120Features {
    static let poseSize = 45
    static let motionSize = 4
    static let size = poseSize + motionSize
    static let torso = 2

    /// Normalised pose of one frame: joints [15 × 3] in millimetres.
    static func pose(_ joints: ArraySlice<Float>) -> [Float] {
        let j = Array(joints)
        guard j.count == 45 else { return [Float](repeating: 0, count: poseSize) }
        let (cx, cy, cz) = (j[3 * torso], j[3 * torso + 1], j[3 * torso + 2])
        var scale: Float = 0
        for k in 0..<15 {
            let (dx, dy, dz) = (j[3 * k] - cx, j[3 * k + 1] - cy, j[3 * k + 2] - cz)
            scale += (dx * dx + dy * dy + dz * dz).squareRoot()
        }
        scale = max(scale / 15, 1)
        var out = [Float](repeating: 0, count: poseSize)
        for k in 0..<15 {
            out[3 * k] = (j[3 * k] - cx) / scale
            out[3 * k + 1] = (j[3 * k + 1] - cy) / scale
            out[3 * k + 2] = (j[3 * k + 2] - cz) / scale
        }
        return out
    }

    /// Motion features for a track of normalised boxes [T × 4] with visibility.
    static func motion(boxes: [[Float]], visible: [Bool]) -> [[Float]] {
        boxes.indices.map { t in
            guard t > 0, visible[t], visible[t - 1] else { return [0, 0, 0, 0] }
            let (a, b) = (boxes[t - 1], boxes[t])
            let dcx: Float = ((b[0] + b[2]) - (a[0] + a[2])) * 5
            let dcy: Float = ((b[1] + b[3]) - (a[1] + a[3])) * 5
            let dw: Float = ((b[2] - b[0]) - (a[2] - a[0])) * 10
            let dh: Float = ((b[3] - b[1]) - (a[3] - a[1])) * 10
            return [dcx, dcy, dw, dh]
        }
    }

    /// Assembles an entity-task clip: entity 0 the human, then the objects.
    /// `boxes[e][t]` normalised (x1, y1, x2, y2) or nil when missing; `pose[t]` 45 values.
    static func clip(
        id: String, boxes: [[[Float]?]], pose: [[Float]], objectCategories: [Int], subactivity: Int,
        affordances: [Int], appearance: [[[Float]]]? = nil
    ) throws(ClipError) -> Clip {
        let n = boxes.count
        let t = boxes.first?.count ?? 0
        let extra = appearance?.first?.first?.count ?? 0
        let f = size + extra
        var features = [Float](repeating: 0, count: t * n * f)
        var flat = [Float](repeating: 0, count: t * n * 4)
        var mask = [Float](repeating: 0, count: t * n)
        for e in 0..<n {
            let visible = boxes[e].map { $0 != nil }
            let track = boxes[e].map { $0 ?? [0, 0, 0, 0] }
            let moves = motion(boxes: track, visible: visible)
            for frame in 0..<t {
                let k = frame * n + e
                mask[k] = visible[frame] ? 1 : 0
                guard visible[frame] else { continue }
                for q in 0..<4 { flat[4 * k + q] = track[frame][q] }
                if e == 0, frame < pose.count { for q in 0..<poseSize { features[k * f + q] = pose[frame][q] } }
                for q in 0..<motionSize { features[k * f + poseSize + q] = moves[frame][q] }
                if let appearance { for q in 0..<extra { features[k * f + size + q] = appearance[e][frame][q] } }
            }
        }
        return try Clip(
            id: id, frames: t, entities: n, featureSize: f, features: features, boxes: flat, mask: mask,
            categories: [0] + objectCategories.map { $0 + 1 }, isHuman: (0..<n).map { $0 == 0 },
            labels: .entity(human: [subactivity] + Array(repeating: -1, count: n - 1), object: [-1] + affordances))
    }
}
