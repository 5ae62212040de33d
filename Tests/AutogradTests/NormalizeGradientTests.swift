import Autograd
import Foundation
import TestSupport
import Testing

@Suite("L2 normalisation and cosine similarity")
struct NormalizeGradientTests {
    @Test("l2Normalized along an axis", arguments: [0, -1])
    func normalize(axis: Int) {
        let x = Tensor.seeded([3, 4], seed: 90)
        #expect(GradientCheck.failures([x]) { $0[0].l2Normalized(axis: axis) }.isEmpty)
        let norms = x.l2Normalized(axis: axis).square().sum(axis: axis).values
        #expect(norms.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test("a vector below eps is divided by eps, gradient included")
    func tinyVector() {
        let x = Tensor(shape: [1, 2], values: [1e-4, -2e-4])
        let f = GradientCheck.failures([x], step: 1e-5, atol: 1e-2) { $0[0].l2Normalized(eps: 1e-2) }
        #expect(f.isEmpty, "\(f)")
        #expect(x.l2Normalized(eps: 1e-2).maxAbsDifference(x * 100) < 1e-7)
    }

    @Test("cosine similarity")
    func cosine() {
        let a = Tensor.seeded([3, 5], seed: 91)
        let b = Tensor.seeded([3, 5], seed: 92)
        let f = GradientCheck.failures([a, b]) { Tensor.cosineSimilarity($0[0], $0[1]) }
        #expect(f.isEmpty, "\(f)")
        let u = Tensor(shape: [2, 2], values: [1, 0, 3, 4])
        let v = Tensor(shape: [2, 2], values: [0, 2, 3, 4])
        let c = Tensor.cosineSimilarity(u, v).values
        #expect(abs(c[0]) < 1e-7 && abs(c[1] - 1) < 1e-6)
        // The same vector used on both sides: gradient of cos(x, x) is 0.
        let f2 = GradientCheck.failures([a]) { Tensor.cosineSimilarity($0[0], $0[0]) }
        #expect(f2.isEmpty, "\(f2)")
    }
}
