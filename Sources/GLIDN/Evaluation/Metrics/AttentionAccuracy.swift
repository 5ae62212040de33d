import Autograd

/// How often the actor's strongest local attention (itself excluded, averaged over
/// heads, in the last local layer) falls on the object it truly interacts with, over
/// the frames where that object and the actor are visible.
public struct AttentionAccuracy: Codable, Equatable, Sendable {
    public private(set) var hits = 0
    public private(set) var frames = 0

    public init() {}

    public var value: Double { frames == 0 ? 0 : Double(hits) / Double(frames) }

    /// attention: α [B·T, N, N, H] of one batch; the actor is entity 0 of each clip.
    public mutating func add(attention: Tensor, mask: Tensor, interactions: [[Int]]) {
        let (bt, n, h) = (attention.shape[0], attention.shape[1], attention.shape[3])
        let t = bt / max(interactions.count, 1)
        let alpha = attention.values
        let visible = mask.values
        for (clip, targets) in interactions.enumerated() {
            for (frame, target) in targets.enumerated() where target > 0 && frame < t {
                let f = clip * t + frame
                guard visible[f * n] != 0, visible[f * n + target] != 0 else { continue }
                var best = -1
                var bestWeight = -Float.infinity
                for j in 1..<n where visible[f * n + j] != 0 {
                    var w: Float = 0
                    for k in 0..<h { w += alpha[((f * n) * n + j) * h + k] }
                    if w > bestWeight {
                        bestWeight = w
                        best = j
                    }
                }
                frames += 1
                if best == target { hits += 1 }
            }
        }
    }
}
