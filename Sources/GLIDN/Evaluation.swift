import Autograd
import HOIData
import NN

/// The model's output for each clip, in a form to print or save.
public struct Predictions: Sendable {
    public struct Entity: Sendable {
        public let index: Int
        public let isHuman: Bool
        /// Softmax probabilities over sub-activities and affordances.
        public let subactivity: [Float]
        public let affordance: [Float]
    }

    public var clipIDs: [String] = []
    /// Video task: per clip, σ(mean logit) per class.
    public var videoScores: [[Float]] = []
    /// Entity task: per clip, its entities that are visible at least once.
    public var entities: [[Entity]] = []
}

/// Metrics of a model on a data set.
public struct Evaluation: Sendable {
    public let task: TaskKind
    public let clips: Int
    /// Mean total loss per clip (nil without labels).
    public let loss: Double?
    public let averagePrecision: AveragePrecision.Summary?
    /// Synthetic benchmark: accuracy on the time-reversed class pairs.
    public let orderAccuracy: Double?
    public let subactivity: ClassificationScores?
    public let affordance: ClassificationScores?
    public let attentionAccuracy: Double?

    /// What model selection maximises, in percent: mAP (video) or the mean of the
    /// sub-activity and affordance macro-F1 (entity).
    public var headline: Double {
        switch task {
        case .video: return 100 * (averagePrecision?.mAP ?? 0)
        case .entity: return 50 * ((subactivity?.macroF1 ?? 0) + (affordance?.macroF1 ?? 0))
        }
    }

    public static func headlineName(_ task: TaskKind) -> String { task == .video ? "mAP" : "mean_F1" }

    /// Flat named numbers (percentages for scores), for JSON lines and tables.
    public var metrics: [String: Double] {
        var m: [String: Double] = [:]
        if let loss { m["loss"] = loss }
        if let ap = averagePrecision {
            m["mAP"] = 100 * ap.mAP
            m["WAP"] = 100 * ap.weightedAP
        }
        if let orderAccuracy { m["order_accuracy"] = 100 * orderAccuracy }
        if let s = subactivity {
            m["subactivity_F1"] = 100 * s.macroF1
            m["subactivity_accuracy"] = 100 * s.accuracy
        }
        if let a = affordance {
            m["affordance_F1"] = 100 * a.macroF1
            m["affordance_accuracy"] = 100 * a.accuracy
        }
        if task == .entity { m["mean_F1"] = headline }
        if let attentionAccuracy { m["attention_accuracy"] = 100 * attentionAccuracy }
        return m
    }
}

/// Runs a model over a data set without recording gradients.
public enum Evaluator {
    /// - Parameter orderPairs: class pairs to score with `OrderAccuracy` (video task).
    public static func run(_ model: GLIDNModel, on data: Dataset, batchSize: Int = 64,
                           orderPairs: [(Int, Int)] = [], progress: ((Int, Int) -> Void)? = nil) throws -> (Evaluation, Predictions) {
        let config = model.config
        var predictions = Predictions()
        var lossSum = 0.0
        var labelled = 0
        var truthVideo: [[Bool]] = []
        var subTruth: [Int] = []
        var subPredicted: [Int] = []
        var affTruth: [Int] = []
        var affPredicted: [Int] = []
        var attention = AttentionAccuracy()
        var sawInteractions = false
        var context = ForwardContext.evaluation
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let indices = Array(start..<min(start + batchSize, data.count))
            let batch = try data.batch(indices)
            try model.check(batch)
            let (b, n) = (batch.size, batch.entities)
            try withoutGradients {
                let output = model(batch, context: &context)
                if let targets = batch.targets {
                    let total = Objective.losses(output, targets: targets, config: config).total.scalar
                    guard total.isFinite else { throw EvaluationError.nonFinite(clips: batch.clipIDs) }
                    lossSum += Double(total) * Double(b)
                    labelled += b
                }
                predictions.clipIDs += batch.clipIDs
                let em = output.entityMask.values
                let human = batch.isHuman.values
                switch output.logits {
                case .video(let z):
                    let p = z.sigmoid().values
                    let c = z.shape[1]
                    for i in 0..<b { predictions.videoScores.append(Array(p[(i * c)..<((i + 1) * c)])) }
                    if case .video(let y)? = batch.targets {
                        let v = y.values
                        for i in 0..<b { truthVideo.append((0..<c).map { v[i * c + $0] != 0 }) }
                    }
                case .entity(let s, let a):
                    let ps = s.softmax(axis: -1).values
                    let pa = a.softmax(axis: -1).values
                    let (cs, ca) = (s.shape[2], a.shape[2])
                    for i in 0..<b {
                        predictions.entities.append((0..<n).filter { em[i * n + $0] != 0 }.map { e in
                            let k = i * n + e
                            return Predictions.Entity(index: e, isHuman: human[k] != 0,
                                                      subactivity: Array(ps[(k * cs)..<((k + 1) * cs)]),
                                                      affordance: Array(pa[(k * ca)..<((k + 1) * ca)]))
                        })
                    }
                    if case .entity(let hl, let ol)? = batch.targets {
                        for k in 0..<(b * n) {
                            if hl[k] >= 0 {
                                subTruth.append(hl[k])
                                subPredicted.append(argmax(ps, row: k, width: cs))
                            }
                            if ol[k] >= 0 {
                                affTruth.append(ol[k])
                                affPredicted.append(argmax(pa, row: k, width: ca))
                            }
                        }
                    }
                }
                if let interactions = batch.interactions, let last = output.localAttention.last {
                    sawInteractions = true
                    attention.add(attention: last, mask: batch.mask, interactions: interactions)
                }
            }
            progress?(min(start + batchSize, data.count), data.count)
        }

        let video = config.task == .video && !truthVideo.isEmpty
        let entity = config.task == .entity && labelled > 0
        let evaluation = Evaluation(
            task: config.task, clips: data.count, loss: labelled > 0 ? lossSum / Double(labelled) : nil,
            averagePrecision: video ? AveragePrecision.summary(scores: predictions.videoScores, labels: truthVideo) : nil,
            orderAccuracy: video && !orderPairs.isEmpty ? OrderAccuracy.of(scores: predictions.videoScores, labels: truthVideo, pairs: orderPairs) : nil,
            subactivity: entity ? ClassificationScores(truth: subTruth, predicted: subPredicted, labels: config.subactivities!) : nil,
            affordance: entity ? ClassificationScores(truth: affTruth, predicted: affPredicted, labels: config.affordances!) : nil,
            attentionAccuracy: sawInteractions && attention.frames > 0 ? attention.value : nil)
        return (evaluation, predictions)
    }

    static func argmax(_ values: [Float], row: Int, width: Int) -> Int {
        var best = 0
        for j in 1..<width where values[row * width + j] > values[row * width + best] { best = j }
        return best
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    case nonFinite(clips: [String])

    public var description: String {
        switch self {
        case .nonFinite(let clips):
            return "the model produced a non-finite loss on clips \(clips.prefix(5).joined(separator: ", ")) (a diverged checkpoint?)"
        }
    }
}
