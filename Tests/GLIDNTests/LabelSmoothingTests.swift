import Autograd
import Foundation
import GLIDN
import HOIData
import TestSupport
import Testing

/// `--label-smoothing` (the smoothed classification loss; the PyTorch twin's fixtures
/// `label_smoothing_*` hold it to `cross_entropy(label_smoothing=ε)`).
@Suite("Label smoothing")
struct LabelSmoothingTests {
    static var logits: BranchLogits {
        BranchLogits(groups: [
            (LabelGroup.subactivity, Tensor.seeded([4, 3], seed: 1)),
            (LabelGroup.affordance, Tensor.seeded([4, 5], seed: 2)),
        ])
    }
    static var targets: Targets { .entity(human: [2, -1, 0, 1], object: [-1, 4, 3, -1]) }

    @Test("ε = 0 is the plain loss; ε > 0 is (1 - ε)·CE + ε·CE against the uniform distribution, computed by hand")
    func values() {
        let plain = GroupLosses.classification(Self.logits, Self.targets).scalar
        #expect(GroupLosses.classification(Self.logits, Self.targets, smoothing: 0).scalar == plain)
        let eps: Float = 0.3
        var expected: Float = 0
        for (group, labels) in [(LabelGroup.subactivity, [2, -1, 0, 1]), (LabelGroup.affordance, [-1, 4, 3, -1])] {
            let z = Self.logits[group]!
            let classes = z.shape[1]
            var total: Float = 0
            var rows: Float = 0
            for (r, label) in labels.enumerated() where label >= 0 {
                let row = (0..<classes).map { z.values[r * classes + $0] }
                let top = row.max()!
                let logSum = Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) }) + top
                let logP = row.map { $0 - logSum }
                total += (1 - eps) * -logP[label] + eps * -logP.reduce(0, +) / Float(classes)
                rows += 1
            }
            expected += total / rows
        }
        let smoothed = GroupLosses.classification(Self.logits, Self.targets, smoothing: eps).scalar
        #expect(abs(smoothed - expected) < 1e-5, "\(smoothed) vs \(expected)")
    }

    @Test("the smoothed losses' gradients against finite differences, single- and multi-label")
    func gradients() {
        let single = GradientCheck.failures([Tensor.seeded([4, 3], seed: 3), Tensor.seeded([4, 5], seed: 4)]) { x in
            GroupLosses.classification(
                BranchLogits(groups: [(LabelGroup.subactivity, x[0]), (LabelGroup.affordance, x[1])]),
                Self.targets, smoothing: 0.2)
        }
        #expect(single.isEmpty, "\(single)")
        let y = Tensor(shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0])
        let multi = GradientCheck.failures([Tensor.seeded([3, 4], seed: 5)]) { x in
            GroupLosses.classification(BranchLogits(groups: [(LabelGroup.actions, x[0])]), .video(y), smoothing: 0.1)
        }
        #expect(multi.isEmpty, "\(multi)")
    }
}
