/// Single-label classification scores over a fixed label list: accuracy, the confusion
/// matrix, and macro-F1 exactly as scikit-learn's `f1_score(average='macro', labels=…)`
/// (a label with no true and no predicted sample scores F1 = 0, as with zero_division=0).
public struct ClassificationScores: Codable, Equatable, Sendable {
    public let labels: Int
    /// confusion[truth][prediction]
    public let confusion: [[Int]]
    public let perClassF1: [Double]
    public let macroF1: Double
    public let accuracy: Double
    public let samples: Int

    /// `truth` and `predicted` hold label indices in 0..<labels.
    public init(truth: [Int], predicted: [Int], labels: Int) {
        precondition(truth.count == predicted.count, "ClassificationScores: \(truth.count) truths for \(predicted.count) predictions")
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
        macroF1 = labels > 0 ? f1.reduce(0, +) / Double(labels) : 0
        samples = truth.count
        let correct = zip(truth, predicted).filter { $0 == $1 }.count
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
    }
}
