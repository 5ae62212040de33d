import Autograd

extension Batch {
    /// Pads clips to the longest T and the largest N among them (or to the given sizes)
    /// and stacks them. Padded frames and entities are invisible, category 0, unlabelled.
    ///
    /// - Parameter classes: number of action classes, needed for video labels.
    public static func collate(_ clips: [Clip], classes: Int? = nil, frames: Int? = nil, entities: Int? = nil) throws(BatchError) -> Batch {
        guard let first = clips.first else { throw BatchError("no clips to batch") }
        let f = first.featureSize
        if let other = clips.first(where: { $0.featureSize != f }) {
            throw BatchError("clip \(other.id) has \(other.featureSize) features per entity, clip \(first.id) has \(f)")
        }
        let t = frames ?? clips.map(\.frames).max()!
        let n = entities ?? clips.map(\.entities).max()!
        if let long = clips.first(where: { $0.frames > t || $0.entities > n }) {
            throw BatchError("clip \(long.id) (T = \(long.frames), N = \(long.entities)) does not fit T = \(t), N = \(n)")
        }
        let b = clips.count
        var features = [Float](repeating: 0, count: b * t * n * f)
        var boxes = [Float](repeating: 0, count: b * t * n * 4)
        var mask = [Float](repeating: 0, count: b * t * n)
        var categories = [Int](repeating: 0, count: b * n)
        var isHuman = [Float](repeating: 0, count: b * n)
        var human = [Int](repeating: -1, count: b * n)
        var object = [Int](repeating: -1, count: b * n)
        var multiHot: [Float] = []
        var interactions: [[Int]]? = clips.contains { $0.interactions != nil } ? [] : nil
        let entityTask = clips.contains { if case .entity = $0.labels { return true } else { return false } }
        let videoTask = clips.contains { if case .video = $0.labels { return true } else { return false } }
        if entityTask && videoTask { throw BatchError("clips mix video and entity labels") }
        if videoTask {
            guard let classes, classes > 0 else { throw BatchError("video labels need the number of classes") }
            multiHot = [Float](repeating: 0, count: b * classes)
        }
        for (ci, clip) in clips.enumerated() {
            for ti in 0..<clip.frames {
                for ni in 0..<clip.entities {
                    let src = ti * clip.entities + ni
                    let dst = (ci * t + ti) * n + ni
                    mask[dst] = clip.mask[src]
                    for k in 0..<4 { boxes[dst * 4 + k] = clip.boxes[src * 4 + k] }
                    for k in 0..<f { features[dst * f + k] = clip.features[src * f + k] }
                }
            }
            for ni in 0..<clip.entities {
                categories[ci * n + ni] = clip.categories[ni]
                isHuman[ci * n + ni] = clip.isHuman[ni] ? 1 : 0
            }
            switch clip.labels {
            case .video(let present):
                for c in present {
                    guard c < classes! else { throw BatchError("clip \(clip.id) has action class \(c), but there are \(classes!) classes") }
                    multiHot[ci * classes! + c] = 1
                }
            case .entity(let h, let o):
                for ni in 0..<clip.entities {
                    human[ci * n + ni] = h[ni]
                    object[ci * n + ni] = o[ni]
                }
            case .none: break
            }
            if interactions != nil {
                var row = clip.interactions ?? []
                row += [Int](repeating: -1, count: t - row.count)
                interactions!.append(row)
            }
        }
        let targets: Targets? = videoTask
            ? .video(Tensor(shape: [b, classes!], values: multiHot))
            : entityTask ? .entity(human: human, object: object) : nil
        return try Batch(
            clipIDs: clips.map(\.id),
            features: Tensor(shape: [b, t, n, f], values: features),
            boxes: Tensor(shape: [b, t, n, 4], values: boxes),
            mask: Tensor(shape: [b, t, n], values: mask),
            categories: categories,
            isHuman: Tensor(shape: [b, n], values: isHuman),
            targets: targets,
            interactions: interactions,
            frameCounts: clips.map(\.frames))
    }
}
