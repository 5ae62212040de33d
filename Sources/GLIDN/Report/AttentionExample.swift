import Autograd
import HOIData
import NN

/// One frame of one clip with the actor's local attention over the other entities,
/// for drawing.
public struct AttentionExample: Sendable {
    public let clipID: String
    public let frame: Int
    public let labels: [String]
    /// Per entity: box (x1, y1, x2, y2), visible, category name, human or not.
    public let boxes: [[Float]]
    public let visible: [Bool]
    public let categories: [String]
    public let isHuman: [Bool]
    /// The actor's (entity 0) attention to each entity, last local layer, mean over heads.
    public let attention: [Float]
    /// The entity the actor truly interacts with in this frame (-1: unknown).
    public let target: Int

    /// Picks, for each clip, the middle frame of its first interaction, and reads the
    /// attention there. Needs a model with local graphs and clips with known interactions.
    public static func collect(model: GLIDNModel, clips: [Clip], info: DatasetInfo) throws -> [AttentionExample] {
        guard model.localGraphs != nil, !clips.isEmpty else { return [] }
        let batch = try Batch.collate(clips, labels: info.labelGroups)
        var context = ForwardContext.evaluation
        let output = withoutGradients { model(batch, context: &context) }
        guard let last = output.localAttention.last else { return [] }
        let (t, n, h) = (batch.frames, batch.entities, last.shape[3])
        let alpha = last.values
        let boxes = batch.boxes.values
        let mask = batch.mask.values
        var examples: [AttentionExample] = []
        for (c, clip) in clips.enumerated() {
            let targets = clip.interactions ?? []
            let frames = targets.indices.filter { targets[$0] > 0 && mask[(c * t + $0) * n + targets[$0]] != 0 }
            let frame = frames.isEmpty ? clip.frames / 2 : frames[frames.count / 2]
            let f = c * t + frame
            // The clip's labels of the task's first group: its classes, or the actor's.
            var names: [String] = []
            if let group = info.task.groups.first {
                let known = info.names(group)
                switch clip.labels.groups[group.name] {
                case .present(let classes)?: names = classes.map { $0 < known.count ? known[$0] : "\($0)" }
                case .perNode(let values)?:
                    names = values.prefix(1).map { $0 >= 0 && $0 < known.count ? known[$0] : "" }
                case nil: break
                }
            }
            examples.append(
                AttentionExample(
                    clipID: clip.id, frame: frame, labels: names,
                    boxes: (0..<clip.entities).map { e in Array(boxes[((f * n + e) * 4)..<((f * n + e) * 4 + 4)]) },
                    visible: (0..<clip.entities).map { mask[f * n + $0] != 0 },
                    categories: clip.categories.map {
                        $0 < info.categoryNames.count ? info.categoryNames[$0] : "\($0)"
                    },
                    isHuman: clip.isHuman,
                    attention: (0..<clip.entities).map { j in
                        (0..<h).reduce(0) { $0 + alpha[((f * n) * n + j) * h + $1] } / Float(h)
                    },
                    target: frames.isEmpty ? -1 : targets[frame]))
        }
        return examples
    }
}
