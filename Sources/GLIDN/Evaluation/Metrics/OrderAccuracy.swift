/// For pairs of classes that are each other's time reversal: over the clips labelled
/// with exactly one of the two, how often the model scores that one above the other.
/// 0.5 is chance: what a model blind to time order gets.
public enum OrderAccuracy {
    public static func of(scores: [[Float]], labels: [[Bool]], pairs: [(Int, Int)]) -> Double? {
        var right = 0
        var total = 0
        for (s, y) in zip(scores, labels) {
            for (a, b) in pairs where y[a] != y[b] {
                let (yes, no) = y[a] ? (a, b) : (b, a)
                total += 1
                if s[yes] > s[no] { right += 1 }
            }
        }
        return total == 0 ? nil : Double(right) / Double(total)
    }
}
