import Autograd
import GLIDN
import Testing

@Suite("Metrics on hand-computed cases")
struct MetricsTests {
    @Test("AP: the mean of the precision at the rank of each positive")
    func averagePrecision() {
        // Positives at ranks 1 and 3: (1/1 + 2/3) / 2.
        #expect(
            abs(AveragePrecision.of(scores: [0.9, 0.8, 0.7, 0.6], labels: [true, false, true, false])! - 5.0 / 6)
                < 1e-12)
        // Positives at ranks 4 and 3: (1/3 + 2/4) / 2 = 5/12.
        #expect(
            abs(AveragePrecision.of(scores: [0.1, 0.9, 0.2, 0.8], labels: [true, false, true, false])! - 5.0 / 12)
                < 1e-12)
        // Ties keep the input order (MATLAB's stable sort): the positive listed second ranks second.
        #expect(AveragePrecision.of(scores: [0.5, 0.5], labels: [false, true]) == 0.5)
        #expect(AveragePrecision.of(scores: [0.5, 0.5], labels: [true, false]) == 1)
        #expect(AveragePrecision.of(scores: [0.3, 0.2], labels: [false, false]) == nil)
    }

    @Test("mAP leaves out classes without positives and says how many; WAP weights by positives")
    func meanAveragePrecision() {
        let scores: [[Float]] = [[0.9, 0.1, 0.5], [0.8, 0.2, 0.4], [0.1, 0.3, 0.3]]
        let labels = [[true, false, false], [false, false, true], [true, false, true]]
        let s = AveragePrecision.summary(scores: scores, labels: labels)
        // Class 0: positives at ranks 1 and 3 → (1 + 2/3)/2. Class 2: scores 0.5, 0.4, 0.3 with
        // positives at ranks 2 and 3 → (1/2 + 2/3)/2. Class 1 has no positive.
        let ap0 = (1 + 2.0 / 3) / 2
        let ap2 = (0.5 + 2.0 / 3) / 2
        #expect(s.perClass[1] == nil && s.classesWithoutPositives == 1)
        #expect(abs(s.mAP - (ap0 + ap2) / 2) < 1e-12)
        #expect(abs(s.weightedAP - (2 * ap0 + 2 * ap2) / 4) < 1e-12)
    }

    @Test("macro-F1 as scikit-learn computes it: by default over the labels present, or over a fixed list")
    func macroF1() {
        // sklearn.metrics.f1_score(y, p, average='macro') = 0.4333… (labels 0, 1, 2 occur);
        // with labels=[0, 1, 2, 3] it is 0.325.
        let a = ClassificationScores(truth: [0, 0, 1, 1, 2], predicted: [0, 1, 1, 1, 0], labels: 4)
        #expect(abs(a.macroF1 - 0.43333333333333335) < 1e-12 && abs(a.macroF1AllLabels - 0.325) < 1e-12)
        #expect(a.presentLabels == [0, 1, 2])
        #expect(a.perClassF1.map { ($0 * 1e6).rounded() / 1e6 } == [0.5, 0.8, 0, 0])
        #expect(a.accuracy == 0.6 && a.confusion[0] == [1, 1, 0, 0] && a.confusion[2] == [1, 0, 0, 0])
        // sklearn: 0.4333… by default; 0.3466… with labels=range(5), label 4 counting as 0.
        let b = ClassificationScores(truth: [0, 0, 1, 2, 2, 3], predicted: [0, 1, 1, 2, 0, 0], labels: 5)
        #expect(abs(b.macroF1 - 0.43333333333333335) < 1e-12 && abs(b.macroF1AllLabels - 0.3466666666666667) < 1e-12)
        // A label only predicted (3) counts, with F1 0: sklearn gives 1/3.
        let c = ClassificationScores(truth: [0, 0, 1], predicted: [0, 0, 3], labels: 4)
        #expect(abs(c.macroF1 - 1.0 / 3) < 1e-12 && c.presentLabels == [0, 1, 3])
    }

    @Test("order accuracy: clips with one of a pair, scored against the other")
    func orderAccuracy() {
        let scores: [[Float]] = [[0.9, 0.1], [0.2, 0.7], [0.6, 0.4], [0.5, 0.5]]
        let labels = [[true, false], [true, false], [false, true], [true, true]]
        // Clip 0 right, clip 1 wrong, clip 2 wrong, clip 3 has both (skipped).
        #expect(OrderAccuracy.of(scores: scores, labels: labels, pairs: [(0, 1)]) == 1.0 / 3)
        #expect(OrderAccuracy.of(scores: scores, labels: [[false, false]] + labels.dropFirst(), pairs: []) == nil)
    }

    @Test("attention accuracy: the actor's strongest attention, itself excluded, on the true object")
    func attentionAccuracy() {
        // One clip, 2 frames, 3 entities, 1 head; α[f, i, j, 0].
        var alpha = [Float](repeating: 0, count: 2 * 3 * 3)
        alpha[0 * 9 + 0 * 3 + 0] = 0.6  // frame 0: self 0.6, entity 1 0.1, entity 2 0.3 → picks 2
        alpha[0 * 9 + 0 * 3 + 1] = 0.1
        alpha[0 * 9 + 0 * 3 + 2] = 0.3
        alpha[1 * 9 + 0 * 3 + 1] = 0.7  // frame 1: picks 1
        alpha[1 * 9 + 0 * 3 + 2] = 0.3
        var accuracy = AttentionAccuracy()
        accuracy.add(
            attention: Tensor(shape: [2, 3, 3, 1], values: alpha), mask: Tensor.ones([1, 2, 3]), interactions: [[2, 2]])
        #expect(accuracy.frames == 2 && accuracy.hits == 1 && accuracy.value == 0.5)
        // A frame whose target is hidden does not count.
        var hidden = AttentionAccuracy()
        hidden.add(
            attention: Tensor(shape: [2, 3, 3, 1], values: alpha),
            mask: Tensor(shape: [1, 2, 3], values: [1, 1, 0, 1, 1, 1]),
            interactions: [[2, -1]])
        #expect(hidden.frames == 0)
    }
}
