import Autograd
import HOIData

extension OnlineRecognizer {
    /// Streams `clip` (a whole video of segments) through a new recognizer, segment by segment,
    /// handing `each` what every update predicts, as predictions of one clip: the segment's
    /// visible entities (for anticipation, about the next segment; the last segment predicts
    /// nothing), their true labels where the data has them, and the time the update took.
    ///
    /// A model of one-segment clips (`temporal_context` `clip`) streams windows of `window` frames
    /// instead (`PrefixRecognizer`; default: a quarter of the clip), each update's prediction
    /// being the clip's labels from the frames so far.
    public static func stream(
        _ clip: Clip, model: GLIDNModel, info: DatasetInfo, window: Int? = nil, each: (Predictions) throws -> Void
    ) throws {
        if model.config.temporalContext == .clip {
            return try streamWindows(clip, model: model, window: window ?? max(1, (clip.frames + 3) / 4), each: each)
        }
        let recognizer = try OnlineRecognizer(model: model)
        let truth = try Batch.collate([clip], labels: info.labelGroups).targets
        let n = clip.entities
        let anticipates = info.labelsOfNextSegment ?? false
        for s in 0..<clip.segments {
            let segment = try clip.segment(s)
            let update = try recognizer.push(segment)
            // Each group's probabilities over its classes, one row per entity of the segment.
            let rows = update.logits.rows
            var probabilities: [String: (values: [Float], classes: Int)] = [:]
            for (k, group) in rows.enumerated() {
                let p = model.config.labelGroups[k].multiLabel ? group.logits.sigmoid() : group.logits.softmax(axis: -1)
                probabilities[group.name] = (p.values, p.shape.last ?? 0)
            }
            let groups = rows.map(\.name)
            let predicted = s + (anticipates ? 1 : 0)
            var entities: [Predictions.Entity] = []
            for e in 0..<n where predicted < clip.segments {
                guard (0..<segment.frames).contains(where: { segment.mask[$0 * n + e] != 0 }) else { continue }
                entities.append(
                    Predictions.Entity(
                        row: e, of: probabilities, groups: groups, targets: truth, targetRow: s * n + e,
                        index: e, segment: s, isHuman: clip.isHuman[e], category: clip.categories[e],
                        predictedSegment: predicted,
                        frames: clip.segmentFrames.flatMap { $0.indices.contains(predicted) ? $0[predicted] : nil }))
            }
            var predictions = Predictions()
            predictions.clipIDs = [clip.id]
            predictions.entities = [entities]
            predictions.segmented = true
            predictions.seconds = [update.seconds]
            try each(predictions)
        }
    }

    /// A one-segment clip window by window: per update, the clip's scores from the frames so far.
    static func streamWindows(_ clip: Clip, model: GLIDNModel, window: Int, each: (Predictions) throws -> Void)
        throws
    {
        let recognizer = try PrefixRecognizer(model: model)
        for start in stride(from: 0, to: clip.frames, by: window) {
            let end = min(start + window, clip.frames)
            let update = try recognizer.push(try clip.window(start..<end))
            var predictions = Predictions()
            predictions.clipIDs = ["\(clip.id) frames 0–\(end - 1)"]
            for (k, group) in update.logits.rows.enumerated() where model.config.task.group(group.name)?.rows == .clip {
                let spec = model.config.labelGroups[k]
                let p = spec.multiLabel ? group.logits.sigmoid() : group.logits.softmax(axis: -1)
                predictions.clipScores[group.name] = [p.values]
            }
            predictions.seconds = [update.seconds]
            try each(predictions)
        }
    }
}
