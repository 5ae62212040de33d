/// Average precision exactly as Charades' official `Charades_v1_classify.m` computes it
/// (its `THUMOSeventclspr`): for one class, sort the videos by score, descending (ties
/// keep the input order, as MATLAB's stable sort does); precision at rank k is
/// TP(k)/k; AP is the mean of the precision at the rank of each positive
/// (non-interpolated).
public enum AveragePrecision {
    /// AP of one class, or nil when the class has no positive (the official script
    /// would divide by zero).
    public static func of(scores: [Float], labels: [Bool]) -> Double? {
        precondition(
            scores.count == labels.count, "AveragePrecision: \(scores.count) scores for \(labels.count) labels")
        let positives = labels.filter { $0 }.count
        guard positives > 0 else { return nil }
        let order = scores.indices.sorted { a, b in scores[a] > scores[b] || (scores[a] == scores[b] && a < b) }
        var truePositives = 0
        var total = 0.0
        for (rank, i) in order.enumerated() where labels[i] {
            truePositives += 1
            total += Double(truePositives) / Double(rank + 1)
        }
        return total / Double(positives)
    }

    /// Per-class AP, mAP over the classes that have positives, and the weighted AP
    /// (each class weighted by its number of positives, the script's `wap`).
    public struct Summary: Codable, Equatable, Sendable {
        /// nil for a class without positives.
        public let perClass: [Double?]
        public let mAP: Double
        public let weightedAP: Double
        /// Classes left out of the mean because they have no positive.
        public let classesWithoutPositives: Int
    }

    /// scores and labels are [videos][classes].
    public static func summary(scores: [[Float]], labels: [[Bool]]) -> Summary {
        let classes = scores.first?.count ?? 0
        var perClass: [Double?] = []
        var weighted = 0.0
        var positivesTotal = 0
        for c in 0..<classes {
            let column = labels.map { $0[c] }
            let ap = of(scores: scores.map { $0[c] }, labels: column)
            perClass.append(ap)
            let positives = column.filter { $0 }.count
            if let ap {
                weighted += ap * Double(positives)
                positivesTotal += positives
            }
        }
        let present = perClass.compactMap { $0 }
        return Summary(
            perClass: perClass, mAP: present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count),
            weightedAP: positivesTotal == 0 ? 0 : weighted / Double(positivesTotal),
            classesWithoutPositives: classes - present.count)
    }
}
