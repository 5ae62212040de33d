import Autograd

extension Batch {
    /// Pads clips to the longest T and the largest N among them (or to the given sizes)
    /// and stacks them. Padded frames and entities are invisible, category 0, unlabelled.
    ///
    /// Clips of several segments (whole videos) must share their frames per segment k; they
    /// are padded to the most segments S among them (T = S · k), padded segments invisible.
    ///
    /// - Parameter labels: the label groups to collect, with their numbers of classes (a group
    ///   of clip rows becomes multi-hot [B, C], a group of node rows a class per node [B·S·N]);
    ///   none for unlabelled clips.
    public static func collate(
        _ clips: [Clip], labels: [(spec: LabelGroupSpec, classes: Int)] = [], frames: Int? = nil,
        entities: Int? = nil
    ) throws(BatchError) -> Batch {
        guard let first = clips.first else { throw BatchError("no clips to batch") }
        let f = first.featureSize
        if let other = clips.first(where: { $0.featureSize != f }) {
            throw BatchError("clip \(other.id) has \(other.featureSize) features per entity, clip \(first.id) has \(f)")
        }
        let segmented = clips.contains { $0.segments > 1 }
        let k = segmented ? first.framesPerSegment : 0
        if segmented, let other = clips.first(where: { $0.framesPerSegment != k }) {
            throw BatchError(
                "clip \(other.id) has \(other.framesPerSegment) frames per segment, clip \(first.id) has \(k): whole-video clips in one batch must share it"
            )
        }
        let s = segmented ? clips.map(\.segments).max()! : 1
        let t = segmented ? s * k : frames ?? clips.map(\.frames).max()!
        let n = entities ?? clips.map(\.entities).max()!
        if let long = clips.first(where: { $0.frames > t || $0.entities > n }) {
            throw BatchError(
                "clip \(long.id) (T = \(long.frames), N = \(long.entities)) does not fit T = \(t), N = \(n)")
        }
        let b = clips.count
        var features = [Float](repeating: 0, count: b * t * n * f)
        var boxes = [Float](repeating: 0, count: b * t * n * 4)
        var mask = [Float](repeating: 0, count: b * t * n)
        var categories = [Int](repeating: 0, count: b * n)
        var isHuman = [Float](repeating: 0, count: b * n)
        var interactions: [[Int]]? = clips.contains { $0.interactions != nil } ? [] : nil
        // The labels of each group: multi-hot rows per clip, or a class per node.
        let labelled = !labels.isEmpty && clips.contains { !$0.labels.groups.isEmpty }
        var present = labels.map { [Float](repeating: 0, count: $0.spec.rows == .clip ? b * $0.classes : 0) }
        var perNode = labels.map { [Int](repeating: -1, count: $0.spec.rows == .node ? b * s * n : 0) }
        for (spec, classes) in labels where spec.rows == .clip {
            guard classes > 0 else { throw BatchError("\(spec.name) labels need the number of classes") }
            guard !segmented else {
                throw BatchError("\(spec.name) labels are per clip: clips of several segments carry labels per node")
            }
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
            if labelled, !clip.labels.groups.isEmpty {
                for (g, (spec, classes)) in labels.enumerated() {
                    switch clip.labels.groups[spec.name] {
                    case .present(let classesPresent)? where spec.rows == .clip:
                        for c in classesPresent {
                            guard c < classes else {
                                throw BatchError(
                                    "clip \(clip.id) has \(spec.title) class \(c), but there are \(classes) classes")
                            }
                            present[g][ci * classes + c] = 1
                        }
                    case .perNode(let values)? where spec.rows == .node:
                        for si in 0..<clip.segments {
                            for ni in 0..<clip.entities {
                                perNode[g][(ci * s + si) * n + ni] = values[si * clip.entities + ni]
                            }
                        }
                    default:
                        throw BatchError(
                            "clip \(clip.id) has no \(spec.name) labels of the task's kind (it has \(clip.labels.groups.keys.sorted().joined(separator: ", ")))"
                        )
                    }
                }
            }
            if interactions != nil {
                var row = clip.interactions ?? []
                row += [Int](repeating: -1, count: t - row.count)
                interactions!.append(row)
            }
        }
        let targets: Targets? =
            labelled
            ? Targets(
                groups: labels.enumerated().map { g, group in
                    group.spec.rows == .clip
                        ? (group.spec.name, .multiHot(Tensor(shape: [b, group.classes], values: present[g])))
                        : (group.spec.name, .classes(perNode[g]))
                })
            : nil
        var batch = try Batch(
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
        batch.segmentFrames = clips.map(\.segmentFrames)
        batch.prefixFractions = clips.map(\.prefixFraction)
        return batch
    }
}
