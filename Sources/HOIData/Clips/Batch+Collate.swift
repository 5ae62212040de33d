import Autograd

extension Batch {
    /// Pads clips to the longest T and the largest N among them (or to the given sizes)
    /// and stacks them. Padded frames and entities are invisible, category 0, unlabelled.
    ///
    /// Clips of several segments (whole videos) must share their frames per segment k; they
    /// are padded to the most segments S among them (T = S · k), padded segments invisible.
    ///
    /// - Parameter classes: number of action classes, needed for video labels.
    public static func collate(_ clips: [Clip], classes: Int? = nil, frames: Int? = nil, entities: Int? = nil) throws(BatchError) -> Batch {
        guard let first = clips.first else { throw BatchError("no clips to batch") }
        let f = first.featureSize
        if let other = clips.first(where: { $0.featureSize != f }) {
            throw BatchError("clip \(other.id) has \(other.featureSize) features per entity, clip \(first.id) has \(f)")
        }
        let segmented = clips.contains { $0.segments > 1 }
        let k = segmented ? first.framesPerSegment : 0
        if segmented, let other = clips.first(where: { $0.framesPerSegment != k }) {
            throw BatchError("clip \(other.id) has \(other.framesPerSegment) frames per segment, clip \(first.id) has \(k): whole-video clips in one batch must share it")
        }
        let s = segmented ? clips.map(\.segments).max()! : 1
        let t = segmented ? s * k : frames ?? clips.map(\.frames).max()!
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
        var human = [Int](repeating: -1, count: b * s * n)
        var object = [Int](repeating: -1, count: b * s * n)
        var multiHot: [Float] = []
        var interactions: [[Int]]? = clips.contains { $0.interactions != nil } ? [] : nil
        let entityTask = clips.contains { if case .entity = $0.labels { return true } else { return false } }
        let videoTask = clips.contains { if case .video = $0.labels { return true } else { return false } }
        if entityTask && videoTask { throw BatchError("clips mix video and entity labels") }
        if videoTask {
            guard let classes, classes > 0 else { throw BatchError("video labels need the number of classes") }
            guard !segmented else { throw BatchError("video labels are per clip: clips of several segments carry entity labels") }
            multiHot = [Float](repeating: 0, count: b * classes)
        }
        for (ci, clip) in clips.enumerated() {
            for ti in 0..<clip.frames {
                for ni in 0..<clip.entities {
                    let src = ti * clip.entities + ni
                    let dst = (ci * t + ti) * n + ni
                    mask[dst] = clip.mask[src]
                    for q in 0..<4 { boxes[dst * 4 + q] = clip.boxes[src * 4 + q] }
                    for q in 0..<f { features[dst * f + q] = clip.features[src * f + q] }
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
                for si in 0..<clip.segments {
                    for ni in 0..<clip.entities {
                        human[(ci * s + si) * n + ni] = h[si * clip.entities + ni]
                        object[(ci * s + si) * n + ni] = o[si * clip.entities + ni]
                    }
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
            frameCounts: segmented ? Array(repeating: k, count: b) : clips.map(\.frames),
            segments: s,
            segmentCounts: clips.map(\.segments))
    }
}
