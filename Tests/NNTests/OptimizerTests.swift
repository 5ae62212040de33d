import Autograd
import NN
import Testing

@Suite("Optimizers, schedules and clipping")
struct OptimizerTests {
    static let gradients: [[Float]] = [[0.1, -0.2, 0.3], [1.0, 0.5, -2.0], [0.0, 0.1, 0.2]]

    static func run(_ make: ([(name: String, parameter: Parameter)]) -> any Optimizer) -> [[Float]] {
        let p = Parameter(Tensor(shape: [3], values: [0.5, -1.0, 2.0]))
        let optimizer = make([("w", p)])
        return gradients.map { g in
            p.setGrad(Tensor(shape: [3], values: g))
            optimizer.step(learningRate: 0.1)
            return p.value.values
        }
    }

    /// Values printed by torch 2.15 for the same parameters, gradients and settings.
    @Test("AdamW matches torch.optim.AdamW step by step")
    func adamW() {
        let torch: [[Float]] = [
            [0.3995000124, -0.8989999890, 1.8980000019],
            [0.3183917403, -0.9423224926, 1.9597585201],
            [0.2556852400, -0.9866578579, 2.0004763603],
        ]
        let ours = Self.run { AdamW(parameters: $0, weightDecay: 0.01) }
        for (a, b) in zip(ours.joined(), torch.joined()) { #expect(abs(a - b) < 2e-6, "\(ours) vs \(torch)") }
    }

    /// The update runs sixteen lanes at a time with a scalar remainder: a parameter made of
    /// copies of the three values above must get, element for element, exactly the values the
    /// three-element parameter gets (so the lanes match torch as the remainder does).
    @Test("AdamW's vectorised update gives every element exactly the scalar result")
    func adamWLanes() {
        let copies = 13  // 39 elements: two full lanes of sixteen and a remainder of seven
        let p = Parameter(
            Tensor(
                shape: [3 * copies], values: Array(repeating: [Float(0.5), -1.0, 2.0], count: copies).flatMap { $0 }))
        let optimizer = AdamW(parameters: [("w", p)], weightDecay: 0.01)
        let short = Self.run { AdamW(parameters: $0, weightDecay: 0.01) }
        for (step, g) in Self.gradients.enumerated() {
            p.setGrad(Tensor(shape: [3 * copies], values: Array(repeating: g, count: copies).flatMap { $0 }))
            optimizer.step(learningRate: 0.1)
            let values = p.value.values
            #expect(
                (0..<values.count).allSatisfy { values[$0] == short[step][$0 % 3] },
                "step \(step): \(values) vs \(short[step])")
        }
    }

    @Test("SGD with momentum and weight decay matches torch.optim.SGD")
    func sgd() {
        let torch: [[Float]] = [
            [0.4894999862, -0.9789999723, 1.9680000544],
            [0.3795605004, -1.0091209412, 2.1372320652],
            [0.2802354097, -1.0452207327, 2.2674036026],
        ]
        let ours = Self.run { SGD(parameters: $0, momentum: 0.9, weightDecay: 0.01) }
        for (a, b) in zip(ours.joined(), torch.joined()) { #expect(abs(a - b) < 2e-6, "\(ours) vs \(torch)") }
    }

    @Test("optimizer state round-trips: a restored optimizer continues identically")
    func stateRoundTrip() throws {
        let p1 = Parameter(Tensor(shape: [3], values: [0.5, -1.0, 2.0]))
        let a = AdamW(parameters: [("w", p1)])
        p1.setGrad(Tensor(shape: [3], values: Self.gradients[0]))
        a.step(learningRate: 0.1)
        let p2 = Parameter(p1.value.detached())
        let b = AdamW(parameters: [("w", p2)])
        try b.load(state: a.state())
        for p in [p1, p2] { p.setGrad(Tensor(shape: [3], values: Self.gradients[1])) }
        a.step(learningRate: 0.1)
        b.step(learningRate: 0.1)
        #expect(p1.value.values == p2.value.values)
        #expect(b.steps == 2)
    }

    @Test("a state for other parameters is refused with every problem listed")
    func badState() {
        let a = AdamW(parameters: [("w", Parameter(Tensor.zeros([3])))])
        let state: [String: Tensor] = ["w.exp_avg": Tensor.zeros([2]), "v.exp_avg": Tensor.zeros([1])]
        #expect {
            try a.load(state: state)
        } throws: { error in
            let text = "\(error)"
            return text.contains("w.exp_avg has shape [2]") && text.contains("unexpected v.exp_avg")
                && text.contains("step counter")
        }
    }

    @Test("a gradient scale in the update equals clipping the gradients first")
    func scaleEqualsClipping() {
        func run(fused: Bool) -> [Float] {
            let p = Parameter(Tensor(shape: [3], values: [0.5, -1.0, 2.0]))
            let optimizer = AdamW(parameters: [("w", p)], weightDecay: 0.01)
            for g in Self.gradients {
                p.setGrad(Tensor(shape: [3], values: g).map { $0 * 10 })
                if fused {
                    optimizer.step(learningRate: 0.1, gradientScale: clippingScale(norm: gradientNorm([p]), maxNorm: 1))
                } else {
                    clipGradientNorm([p], maxNorm: 1)
                    optimizer.step(learningRate: 0.1)
                }
            }
            return p.value.values
        }
        let (a, b) = (run(fused: true), run(fused: false))
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6, "\(a) vs \(b)") }
    }

    @Test("warm-up then cosine decay")
    func schedule() {
        let s = WarmupCosineSchedule(base: 1, warmupSteps: 4, totalSteps: 14, minimum: 0.1)
        #expect(s.rate(at: 0) == 0.25 && s.rate(at: 3) == 1)
        #expect(abs(s.rate(at: 4) - 1) < 1e-6)
        #expect(abs(s.rate(at: 9) - 0.55) < 1e-6, "halfway through the cosine")
        #expect(abs(s.rate(at: 14) - 0.1) < 1e-6 && abs(s.rate(at: 100) - 0.1) < 1e-6)
        #expect(ConstantSchedule(base: 0.3).rate(at: 7) == 0.3)
    }

    @Test("clipping scales all gradients by one factor to the maximum norm")
    func clipping() {
        let a = Parameter(Tensor.zeros([2]))
        let b = Parameter(Tensor.zeros([1]))
        a.setGrad(Tensor(shape: [2], values: [3, 0]))
        b.setGrad(Tensor(shape: [1], values: [4]))
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.grad!.values[0] - 0.6) < 1e-6 && abs(b.grad!.values[0] - 0.8) < 1e-6)
        let untouched = clipGradientNorm([a, b], maxNorm: 10)
        #expect(abs(untouched - 1) < 1e-5 && abs(a.grad!.values[0] - 0.6) < 1e-6)
    }
}
