import Autograd
import Testing

@Suite("Learning a toy problem end to end")
struct XORTrainingTests {
    /// Trains a 2-8-1 perceptron on XOR with plain SGD; returns the loss of every step.
    static func train(seed: UInt64, steps: Int = 1500) -> (losses: [Float], predictions: [Float]) {
        var g = SeededGenerator(seed: seed)
        var w1 = Tensor.randomNormal([8, 2], std: 1, generator: &g).requiringGrad()
        var b1 = Tensor.zeros([8]).requiringGrad()
        var w2 = Tensor.randomNormal([1, 8], std: 0.5, generator: &g).requiringGrad()
        var b2 = Tensor.zeros([1]).requiringGrad()
        let x = Tensor(shape: [4, 2], values: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor(shape: [4, 1], values: [0, 1, 1, 0])
        var losses: [Float] = []
        func forward() -> Tensor {
            x.linear(weight: w1, bias: b1).elu().linear(weight: w2, bias: b2)
        }
        for _ in 0..<steps {
            let z = forward()
            // Binary cross-entropy with logits: -[y·logσ(z) + (1-y)·logσ(-z)]
            let loss = -(y * z.logSigmoid() + (1 - y) * (-z).logSigmoid()).mean()
            loss.backward()
            losses.append(loss.scalar)
            w1 = sgd(w1)
            b1 = sgd(b1)
            w2 = sgd(w2)
            b2 = sgd(b2)
        }
        let p = withoutGradients { forward().sigmoid().values }
        return (losses, p)
    }

    static func sgd(_ p: Tensor, rate: Float = 0.5) -> Tensor {
        (p.detached() - p.grad! * rate).requiringGrad()
    }

    @Test("an MLP learns XOR with SGD, and the same seed repeats every loss exactly")
    func xor() {
        let run = Self.train(seed: 11)
        #expect(run.losses.last! < 0.05, "final loss \(run.losses.last!)")
        #expect(
            run.predictions[0] < 0.1 && run.predictions[1] > 0.9 && run.predictions[2] > 0.9
                && run.predictions[3] < 0.1,
            "\(run.predictions)")
        let again = Self.train(seed: 11)
        #expect(again.losses == run.losses)
        let other = Self.train(seed: 12, steps: 10)
        #expect(other.losses != Array(run.losses.prefix(10)))
    }
}
