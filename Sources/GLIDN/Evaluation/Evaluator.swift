import Autograd
import HOIData
import NN

/// The model's output for each clip, in a form to print or save: the scores of each label
/// group of clip rows per clip, and those of each group of node rows per visible node.
public struct Predictions: Sendable {
    /// One (segment, entity) node of a clip.
    public struct Entity: Sendable {
        public let index: Int
        /// The segment of a whole-video clip (0 for one-segment clips).
        public let segment: Int
        public let isHuman: Bool
        /// The entity's category (an index into the data's category names).
        public let category: Int
        /// Per label group of node rows, the probabilities over its classes (softmax, or σ
        /// per class for a multi-label group).
        public let scores: [String: [Float]]
        /// Per label group of single-label node rows, the true class where the data knows it.
        public let truth: [String: Int]
        /// The segment the scores are about: `segment`, or the next one when anticipating.
        public let predictedSegment: Int
        /// The frames of the original video the predicted segment spans, where the data says.
        public let frames: ClosedRange<Int>?
    }

    public var clipIDs: [String] = []
    /// Per label group of clip rows, per clip, the probabilities over its classes.
    public var clipScores: [String: [[Float]]] = [:]
    /// Per clip, its nodes that are visible at least once (per segment, for clips of several
    /// segments), when the task has groups of node rows.
    public var entities: [[Entity]] = []
    /// Whether the clips are whole videos of segments.
    public var segmented = false
    /// Per clip, the seconds its prediction took, where measured (online updates).
    public var seconds: [Double] = []

    /// The action scores of the video task, per clip.
    public var videoScores: [[Float]] { clipScores[LabelGroup.actions] ?? [] }
}

extension Predictions.Entity {
    /// Row `row` of each of `groups`' probabilities `p` (rows × classes), with the true class
    /// that `targets` knows for row `targetRow` (the batch's row of the same node).
    init(
        row: Int, of p: [String: (values: [Float], classes: Int)], groups: [String], targets: Targets?, targetRow: Int,
        index: Int, segment: Int, isHuman: Bool, category: Int, predictedSegment: Int, frames: ClosedRange<Int>?
    ) {
        var scores: [String: [Float]] = [:]
        var truth: [String: Int] = [:]
        for name in groups {
            guard let (values, c) = p[name] else { continue }
            scores[name] = Array(values[(row * c)..<((row + 1) * c)])
            if case .classes(let classes)? = targets?[name], classes.indices.contains(targetRow),
                classes[targetRow] >= 0
            {
                truth[name] = classes[targetRow]
            }
        }
        self.init(
            index: index, segment: segment, isHuman: isHuman, category: category, scores: scores, truth: truth,
            predictedSegment: predictedSegment, frames: frames)
    }
}

/// Runs a model over a data set without recording gradients.
public enum Evaluator {
    /// What a label group accumulates over the batches.
    struct GroupTally {
        var scores: [[Float]] = []
        var truth: [[Bool]] = []
        var labels: [Int] = []
        var predicted: [Int] = []

        /// One batch's probabilities p [rows · classes] against its labels.
        mutating func add(_ p: [Float], classes: Int, targets: LabelTargets?) {
            let rows = p.count / max(classes, 1)
            switch targets {
            case .multiHot(let y)?:
                let v = y.values
                for r in 0..<rows {
                    scores.append(Array(p[(r * classes)..<((r + 1) * classes)]))
                    truth.append((0..<classes).map { v[r * classes + $0] != 0 })
                }
            case .classes(let c)?:
                for r in 0..<rows where c[r] >= 0 {
                    labels.append(c[r])
                    predicted.append(Evaluator.argmax(p, row: r, width: classes))
                }
            case nil: break
            }
        }
    }

    /// - Parameter orderPairs: class pairs to score with `OrderAccuracy` (multi-label groups).
    public static func run(
        _ model: GLIDNModel, on data: Dataset, batchSize: Int = 64,
        orderPairs: [(Int, Int)] = [], progress: ((Int, Int) -> Void)? = nil
    ) throws -> (Evaluation, Predictions) {
        let (evaluations, predictions) = try evaluate(
            model, on: data, batchSize: batchSize, orderPairs: orderPairs,
            weights: [model.config.fusionWeight], progress: progress)
        return (evaluations[0], predictions)
    }

    /// The metrics of the prediction w · z_L + (1 - w) · z_G for each weight w, from one
    /// forward pass per batch (for choosing the fusion on validation data).
    public static func fusionSweep(
        _ model: GLIDNModel, on data: Dataset, weights: [Float], batchSize: Int = 64,
        orderPairs: [(Int, Int)] = []
    ) throws -> [(weight: Float, evaluation: Evaluation)] {
        let (evaluations, _) = try evaluate(
            model, on: data, batchSize: batchSize, orderPairs: orderPairs, weights: weights, progress: nil)
        return Array(zip(weights, evaluations))
    }

    /// Evaluations for each fusion weight; the predictions are those of the first.
    static func evaluate(
        _ model: GLIDNModel, on data: Dataset, batchSize: Int, orderPairs: [(Int, Int)], weights: [Float],
        progress: ((Int, Int) -> Void)?
    ) throws -> ([Evaluation], Predictions) {
        // No clip, no score: a perfect or zero score of nothing would mislead.
        guard data.count > 0 else { throw EvaluationError.noClips }
        let config = model.config
        let objective = model.objective
        var predictions = Predictions()
        var lossSum = 0.0
        var labelled = 0
        var tallies = [[GroupTally]](
            repeating: [GroupTally](repeating: GroupTally(), count: config.labelGroups.count), count: weights.count)
        // Prefixes of clips (online recognition): the first multi-label group's tally per fraction too.
        var prefixTallies = [[Double: GroupTally]](repeating: [:], count: weights.count)
        let prefixGroup = config.labelGroups.firstIndex { $0.multiLabel }
        var attention = AttentionAccuracy()
        var sawInteractions = false
        var context = ForwardContext.evaluation
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let indices = Array(start..<min(start + batchSize, data.count))
            let batch = try data.batch(indices)
            try model.check(batch)
            let b = batch.size
            try withoutGradients {
                let output = model(batch, context: &context)
                if let targets = batch.targets {
                    let total = objective.losses(output, targets: targets).total.scalar
                    guard total.isFinite else { throw EvaluationError.nonFinite(clips: batch.clipIDs) }
                    lossSum += Double(total) * Double(b)
                    labelled += b
                }
                predictions.clipIDs += batch.clipIDs
                for (w, weight) in weights.enumerated() {
                    var probabilities: [String: (values: [Float], classes: Int)] = [:]
                    for (k, group) in output.fused(localWeight: weight).rows.enumerated() {
                        let spec = config.labelGroups[k]
                        let classes = group.logits.shape[1]
                        let p = (spec.multiLabel ? group.logits.sigmoid() : group.logits.softmax(axis: -1)).values
                        probabilities[group.name] = (p, classes)
                        tallies[w][k].add(p, classes: classes, targets: batch.targets?[group.name])
                        if k == prefixGroup, case .multiHot(let y)? = batch.targets?[group.name] {
                            for (row, fraction) in batch.prefixFractions.enumerated() {
                                guard let fraction else { continue }
                                prefixTallies[w][fraction, default: GroupTally()].add(
                                    Array(p[(row * classes)..<((row + 1) * classes)]), classes: classes,
                                    targets: .multiHot(y.sliced(axis: 0, range: row..<(row + 1))))
                            }
                        }
                    }
                    if w == 0 {
                        collect(
                            probabilities, task: config.task, batch: batch, entityMask: output.entityMask.values,
                            anticipates: data.info.labelsOfNextSegment ?? (config.temporalContext == .causal),
                            into: &predictions)
                    }
                }
                if let interactions = batch.interactions, let last = output.localAttention.last {
                    sawInteractions = true
                    attention.add(attention: last, mask: batch.mask, interactions: interactions)
                }
            }
            progress?(min(start + batchSize, data.count), data.count)
        }

        let evaluations = zip(tallies, prefixTallies).map { groupTallies, prefixes -> Evaluation in
            var groups: [GroupScores] = []
            var order: Double?
            for (spec, tally) in zip(config.labelGroups, groupTallies) {
                if spec.multiLabel, !tally.truth.isEmpty {
                    groups.append(
                        GroupScores(
                            name: spec.name,
                            averagePrecision: AveragePrecision.summary(scores: tally.scores, labels: tally.truth),
                            classification: nil))
                    if !orderPairs.isEmpty {
                        order = OrderAccuracy.of(scores: tally.scores, labels: tally.truth, pairs: orderPairs)
                    }
                } else if !spec.multiLabel, labelled > 0 {
                    groups.append(
                        GroupScores(
                            name: spec.name, averagePrecision: nil,
                            classification: ClassificationScores(
                                truth: tally.labels, predicted: tally.predicted, labels: spec.classes)))
                }
            }
            var evaluation = Evaluation(
                task: config.task, clips: data.count, loss: labelled > 0 ? lossSum / Double(labelled) : nil,
                groups: groups, orderAccuracy: order,
                attentionAccuracy: sawInteractions && attention.frames > 0 ? attention.value : nil)
            evaluation.prefixAveragePrecision = prefixes.keys.sorted().map { fraction in
                let tally = prefixes[fraction]!
                return (fraction, AveragePrecision.summary(scores: tally.scores, labels: tally.truth).mAP)
            }
            return evaluation
        }
        return (evaluations, predictions)
    }

    /// Per clip: the scores of each group of clip rows, and each visible node's scores of each
    /// group of node rows.
    static func collect(
        _ p: [String: (values: [Float], classes: Int)], task: TaskKind, batch: Batch, entityMask em: [Float],
        anticipates: Bool = false, into predictions: inout Predictions
    ) {
        let (b, n) = (batch.size, batch.entities)
        for group in task.groups where group.rows == .clip {
            guard let scores = p[group.name] else { continue }
            let c = scores.classes
            for i in 0..<b {
                predictions.clipScores[group.name, default: []].append(Array(scores.values[(i * c)..<((i + 1) * c)]))
            }
        }
        let nodeGroups = task.groups.filter { $0.rows == .node && p[$0.name] != nil }
        guard !nodeGroups.isEmpty else { return }
        let human = batch.isHuman.values
        let nodes = batch.segments * n  // one per (segment, entity)
        predictions.segmented = predictions.segmented || batch.segments > 1
        for i in 0..<b {
            // Anticipation: segment s predicts segment s + 1, so the clip's last segment predicts nothing.
            let lastPredicted = anticipates ? batch.segmentCounts[i] - 2 : batch.segments - 1
            predictions.entities.append(
                (0..<nodes).filter { em[i * nodes + $0] != 0 && $0 / n <= lastPredicted }.map { node in
                    let k = i * nodes + node
                    let predicted = node / n + (anticipates ? 1 : 0)
                    let frames = i < batch.segmentFrames.count ? batch.segmentFrames[i] : nil
                    return Predictions.Entity(
                        row: k, of: p, groups: nodeGroups.map(\.name), targets: batch.targets, targetRow: k,
                        index: node % n, segment: node / n, isHuman: human[i * n + node % n] != 0,
                        category: batch.categories[i * n + node % n], predictedSegment: predicted,
                        frames: frames.flatMap { $0.indices.contains(predicted) ? $0[predicted] : nil })
                })
        }
    }

    static func argmax(_ values: [Float], row: Int, width: Int) -> Int {
        var best = 0
        for j in 1..<width where values[row * width + j] > values[row * width + best] { best = j }
        return best
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    case nonFinite(clips: [String])
    case noClips

    public var description: String {
        switch self {
        case .nonFinite(let clips):
            return
                "the model produced a non-finite loss on clips \(clips.prefix(5).joined(separator: ", ")) (a diverged checkpoint?)"
        case .noClips:
            return "there are no clips to evaluate (the split is empty)"
        }
    }
}
