import Autograd
import Foundation
import NN
import TestSupport
import Testing

@Suite("Losses")
struct LossTests {
    @Test("binary cross-entropy with logits: value and gradient")
    func bce() {
        let z = Tensor(shape: [2, 2], values: [0.5, -1, 2, 0])
        let y = Tensor(shape: [2, 2], values: [1, 0, 0, 1])
        let expected =
            zip(z.values, y.values).map { z, y -> Double in
                let p = 1 / (1 + Foundation.exp(-Double(z)))
                return -(Double(y) * Foundation.log(p) + (1 - Double(y)) * Foundation.log(1 - p))
            }.reduce(0, +) / 4
        #expect(abs(Double(Losses.binaryCrossEntropy(logits: z, targets: y).scalar) - expected) < 1e-6)
        let f = GradientCheck.failures([.seeded([3, 4], seed: 1)]) {
            Losses.binaryCrossEntropy(logits: $0[0], targets: y.reshaped([1, 4]).broadcast(to: [3, 4]))
        }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("cross-entropy ignores rows labelled -1 and averages the rest")
    func crossEntropy() {
        let z = Tensor(shape: [3, 3], values: [1, 2, 3, 0, 0, 0, 5, 1, 1])
        let loss = Losses.crossEntropy(logits: z, labels: [2, -1, 0]).scalar
        let row0 = -(3 - Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)))
        let row2 = -(5 - Foundation.log(Foundation.exp(5.0) + 2 * Foundation.exp(1.0)))
        #expect(abs(Double(loss) - (row0 + row2) / 2) < 1e-6)
        #expect(Losses.crossEntropy(logits: z, labels: [-1, -1, -1]).scalar == 0)
        let f = GradientCheck.failures([.seeded([4, 5], seed: 2)]) {
            Losses.crossEntropy(logits: $0[0], labels: [4, -1, 0, 2])
        }
        #expect(f.isEmpty, "\(f)")
    }

    @Test("Bernoulli KL: zero for equal logits, positive otherwise, no gradient to the teacher")
    func bernoulliKL() {
        let t = Tensor.seeded([2, 5], seed: 3)
        #expect(abs(Losses.bernoulliKL(teacher: t, student: t, temperature: 2).scalar) < 1e-7)
        let s = Tensor.seeded([2, 5], seed: 4)
        #expect(Losses.bernoulliKL(teacher: t, student: s, temperature: 2).scalar > 0)
        let f = GradientCheck.failures([s]) { Losses.bernoulliKL(teacher: t, student: $0[0], temperature: 2) }
        #expect(f.isEmpty, "\(f)")
        let teacher = t.requiringGrad()
        Losses.bernoulliKL(teacher: teacher, student: s.requiringGrad(), temperature: 2).backward()
        #expect(teacher.grad == nil)
    }

    @Test("categorical KL over valid rows, with the teacher detached")
    func categoricalKL() {
        let t = Tensor.seeded([3, 4], seed: 5)
        let s = Tensor.seeded([3, 4], seed: 6)
        let valid = [true, false, true]
        let f = GradientCheck.failures([s]) {
            Losses.categoricalKL(teacher: t, student: $0[0], temperature: 1.5, valid: valid)
        }
        #expect(f.isEmpty, "\(f)")
        // By hand for row 0 at τ = 1.
        func softmax(_ r: [Float]) -> [Double] {
            let e = r.map { Foundation.exp(Double($0)) }
            return e.map { $0 / e.reduce(0, +) }
        }
        let rows = [0, 2].map { r -> Double in
            let p = softmax(Array(t.values[(r * 4)..<(r * 4 + 4)]))
            let q = softmax(Array(s.values[(r * 4)..<(r * 4 + 4)]))
            return zip(p, q).reduce(0) { $0 + $1.0 * Foundation.log($1.0 / $1.1) }
        }
        let kl = Losses.categoricalKL(teacher: t, student: s, temperature: 1, valid: valid).scalar
        #expect(abs(Double(kl) - (rows[0] + rows[1]) / 2) < 1e-5)
        #expect(Losses.categoricalKL(teacher: t, student: s, temperature: 1, valid: [false, false, false]).scalar == 0)
        let teacher = t.requiringGrad()
        let student = s.requiringGrad()
        Losses.categoricalKL(teacher: teacher, student: student, temperature: 2, valid: valid).backward()
        #expect(teacher.grad == nil)
        #expect(student.grad!.values[4..<8].allSatisfy { $0 == 0 }, "no gradient on the row that is not valid")
    }

    @Test("binary cross-entropy and the Bernoulli KL at extreme logits stay finite, gradients included")
    func extremes() {
        let z = Tensor(shape: [1, 4], values: [-120, -30, 30, 120]).requiringGrad()
        let y = Tensor(shape: [1, 4], values: [1, 0, 1, 0])
        let bce = Losses.binaryCrossEntropy(logits: z, targets: y)
        bce.backward()
        #expect(bce.scalar.isFinite && z.grad!.values.allSatisfy(\.isFinite))
        let student = Tensor(shape: [1, 4], values: [120, -120, 0, 5]).requiringGrad()
        let kl = Losses.bernoulliKL(teacher: z.detached(), student: student, temperature: 1)
        kl.backward()
        #expect(kl.scalar.isFinite && student.grad!.values.allSatisfy(\.isFinite))
    }

    @Test("cosine distance over masked rows equals its composition; gradient to the student only")
    func cosineDistance() {
        let student = Tensor.seeded([2, 3, 5], seed: 7)
        let teacher = Tensor.seeded([2, 3, 5], seed: 8)
        let mask = Tensor(shape: [2, 3], values: [1, 0, 1, 1, 1, 0])
        let composed = ((1 - Tensor.cosineSimilarity(student, teacher, axis: -1, eps: 1e-8)) * mask).sum() / 4
        #expect(
            abs(Losses.cosineDistance(student: student, teacher: teacher, mask: mask).scalar - composed.scalar) < 1e-6)
        let f = GradientCheck.failures([student]) {
            Losses.cosineDistance(student: $0[0], teacher: teacher, mask: mask)
        }
        #expect(f.isEmpty, "\(f)")
        let (s, t) = (student.requiringGrad(), teacher.requiringGrad())
        Losses.cosineDistance(student: s, teacher: t, mask: mask).backward()
        #expect(t.grad == nil)
        #expect(s.grad!.values[5..<10].allSatisfy { $0 == 0 }, "no gradient on a masked row")
        // A student below eps: the map is s/eps, its gradient -û/eps per unit of loss.
        let tiny = Tensor(shape: [1, 2], values: [1e-9, -2e-9])
        let g = GradientCheck.failures([tiny], step: 1e-10, atol: 1e-2, rtol: 1e-2) {
            Losses.cosineDistance(
                student: $0[0], teacher: Tensor(shape: [1, 2], values: [3, 4]), mask: Tensor(shape: [1], values: [1]))
        }
        #expect(g.isEmpty, "\(g)")
    }
}

@Suite("Fused losses against their plain compositions")
struct LossCompositionTests {
    @Test("BCE, cross-entropy, both KL divergences and the cosine distance: values and gradients")
    func compositions() {
        let labels = [2, -1, 0, 3, -1]
        let valid = [true, false, true, true, false]
        let mask = Tensor(shape: [5], values: [1, 0, 1, 1, 1])
        let y = Tensor(shape: [5, 4], values: (0..<20).map { Float($0 % 3 == 0 ? 1 : 0) })
        let cases: [(String, [Tensor], ([Tensor]) -> Tensor)] = [
            (
                "binaryCrossEntropy", [.seeded([5, 4], seed: 1)],
                { Losses.binaryCrossEntropy(logits: $0[0], targets: y) }
            ),
            ("crossEntropy", [.seeded([5, 4], seed: 2)], { Losses.crossEntropy(logits: $0[0], labels: labels) }),
            (
                "bernoulliKL", [.seeded([5, 4], seed: 3), .seeded([5, 4], seed: 4)],
                { Losses.bernoulliKL(teacher: $0[0], student: $0[1], temperature: 2) }
            ),
            (
                "categoricalKL", [.seeded([5, 4], seed: 5), .seeded([5, 4], seed: 6)],
                { Losses.categoricalKL(teacher: $0[0], student: $0[1], temperature: 2, valid: valid) }
            ),
            (
                "cosineDistance", [.seeded([5, 6], seed: 7), .seeded([5, 6], seed: 8)],
                { Losses.cosineDistance(student: $0[0], teacher: $0[1], mask: mask) }
            ),
        ]
        for (name, inputs, loss) in cases {
            let c = FusedVersusPlain.compare(inputs, loss)
            #expect(c.ranDifferentCode, "\(name): plain mode recorded the same ops")
            #expect(c.worst < 1e-5, "\(name): output \(c.output), gradients \(c.gradients)")
        }
    }
}
