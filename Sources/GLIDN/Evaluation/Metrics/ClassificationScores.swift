/// Single-label classification scores over a fixed label list: accuracy, the confusion
/// matrix, per-class F1, and macro-F1 exactly as scikit-learn's default
/// `f1_score(y, p, average='macro')`: the mean over the labels that occur in the truth or the
/// predictions (a label that is predicted but never true, or true but never predicted,
/// scores 0). `macroF1AllLabels` is the mean over the whole list, as with `labels=range(n)`.
public struct ClassificationScores: Codable, Equatable, Sendable {
    public let labels: Int
    /// confusion[truth][prediction]
    public let confusion: [[Int]]
    public let perClassF1: [Double]
    public let macroF1: Double
    public let macroF1AllLabels: Double
    /// The labels that occur in the truth or the predictions (those macro-F1 averages over).
    public let presentLabels: [Int]
    public let accuracy: Double
    public let samples: Int

    /// `truth` and `predicted` hold label indices in 0..<labels.
    public init(truth: [Int], predicted: [Int], labels: Int) {
        precondition(
            truth.count == predicted.count,
            "ClassificationScores: \(truth.count) truths for \(predicted.count) predictions")
        var confusion = Array(repeating: Array(repeating: 0, count: labels), count: labels)
        for (t, p) in zip(truth, predicted) where (0..<labels).contains(t) && (0..<labels).contains(p) {
            confusion[t][p] += 1
        }
        var f1: [Double] = []
        for c in 0..<labels {
            let tp = Double(confusion[c][c])
            let predictedAsC = Double((0..<labels).reduce(0) { $0 + confusion[$1][c] })
            let trulyC = Double(confusion[c].reduce(0, +))
            let precision = predictedAsC > 0 ? tp / predictedAsC : 0
            let recall = trulyC > 0 ? tp / trulyC : 0
            f1.append(precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
        }
        self.labels = labels
        self.confusion = confusion
        perClassF1 = f1
        macroF1AllLabels = labels > 0 ? f1.reduce(0, +) / Double(labels) : 0
        let present = (0..<labels).filter { c in
            confusion[c].reduce(0, +) > 0 || (0..<labels).contains { confusion[$0][c] > 0 }
        }
        presentLabels = present
        macroF1 = present.isEmpty ? 0 : present.reduce(0) { $0 + f1[$1] } / Double(present.count)
        samples = truth.count
        let correct = zip(truth, predicted).filter { $0 == $1 }.count
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
    }
}
