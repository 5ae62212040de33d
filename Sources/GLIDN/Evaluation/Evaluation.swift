import HOIData

/// How a model did on one label group: average precision for a multi-label group,
/// single-label scores (macro-F1, accuracy, confusion) for a single-label group.
public struct GroupScores: Sendable {
    public let name: String
    public let averagePrecision: AveragePrecision.Summary?
    public let classification: ClassificationScores?
}

/// Metrics of a model on a data set.
public struct Evaluation: Sendable {
    public let task: TaskKind
    public let clips: Int
    /// Mean total loss per clip (nil without labels).
    public let loss: Double?
    /// Per label group, in the model's order (empty without labels).
    public let groups: [GroupScores]
    /// Time-reversed class pairs (`DatasetInfo.timeReversedPairs`): accuracy of telling them apart.
    public let orderAccuracy: Double?
    public let attentionAccuracy: Double?
    /// For prefixes of clips (online recognition): the mAP of the clips cut at each fraction of
    /// their frames, against the whole clips' labels.
    public var prefixAveragePrecision: [(fraction: Double, mAP: Double)] = []

    public func group(_ name: String) -> GroupScores? { groups.first { $0.name == name } }

    public var averagePrecision: AveragePrecision.Summary? { groups.lazy.compactMap(\.averagePrecision).first }
    public var subactivity: ClassificationScores? { group(LabelGroup.subactivity)?.classification }
    public var affordance: ClassificationScores? { group(LabelGroup.affordance)?.classification }

    /// What model selection maximises, in percent: mAP of a multi-label group (video), else the
    /// mean macro-F1 of the single-label groups (entity: sub-activity and affordance).
    public var headline: Double {
        if let ap = averagePrecision { return 100 * ap.mAP }
        let f1 = groups.compactMap(\.classification?.macroF1)
        return f1.isEmpty ? 0 : 100 * f1.reduce(0, +) / Double(f1.count)
    }

    public static func headlineName(_ task: TaskKind) -> String { task.headlineMetric }

    /// Flat named numbers (percentages for scores), for JSON lines and tables: `loss`, `mAP` and
    /// `WAP` (multi-label), `<group>_f1` (macro-F1 over the labels present, as scikit-learn's
    /// default) and `<group>_accuracy` per single-label group with their mean `mean_f1`,
    /// `order_accuracy`, `attention_accuracy`.
    public var metrics: [String: Double] {
        var m: [String: Double] = [:]
        if let loss { m["loss"] = loss }
        for group in groups {
            if let ap = group.averagePrecision {
                m["mAP"] = 100 * ap.mAP
                m["WAP"] = 100 * ap.weightedAP
            }
            if let s = group.classification {
                let name = task.group(group.name)?.metricName ?? group.name
                m["\(name)_f1"] = 100 * s.macroF1
                m["\(name)_accuracy"] = 100 * s.accuracy
            }
        }
        if groups.contains(where: { $0.classification != nil }) { m["mean_f1"] = headline }
        if let orderAccuracy { m["order_accuracy"] = 100 * orderAccuracy }
        if let attentionAccuracy { m["attention_accuracy"] = 100 * attentionAccuracy }
        for (fraction, mAP) in prefixAveragePrecision { m["mAP_at_\(Int((fraction * 100).rounded()))"] = 100 * mAP }
        return m
    }
}
