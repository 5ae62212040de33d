import Autograd
import NN
import TestSupport
import Testing

/// A small two-layer module for naming and loading tests.
final class TwoLayers: Module {
    let first: Linear
    let second: ModuleList<Linear>
    init(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        first = Linear(inFeatures: 3, outFeatures: 4, generator: &g)
        second = ModuleList([Linear(inFeatures: 4, outFeatures: 2, bias: false, generator: &g)])
    }
    var children: [(name: String, child: ModuleChild)] { [("first", .module(first)), ("second", .module(second))] }
}

@Suite("Layers and parameter trees")
struct LayerTests {
    @Test("dotted names, depth first in declaration order")
    func names() {
        let m = TwoLayers(seed: 1)
        #expect(m.namedParameters().map(\.name) == ["first.weight", "first.bias", "second.0.weight"])
        #expect(m.parameterCount == 12 + 4 + 8)
    }

    @Test("Linear and Embedding gradients, including parameters")
    func gradients() {
        var g = SeededGenerator(seed: 2)
        let linear = Linear(inFeatures: 3, outFeatures: 2, generator: &g)
        let f1 = GradientCheck.failures([.seeded([4, 3], seed: 3)], parameters: linear.namedParameters()) {
            linear($0[0])
        }
        #expect(f1.isEmpty, "\(f1)")
        let table = Embedding(count: 5, dimension: 3, generator: &g)
        let f2 = GradientCheck.failures([], parameters: table.namedParameters()) { _ in
            table([4, 0, 4, 2], shape: [2, 2])
        }
        #expect(f2.isEmpty, "\(f2)")
        #expect(table([1], shape: [1]).values == Array(table.weight.value.values[3..<6]))
    }

    @Test("initialisation is repeatable from a seed and bounded like PyTorch's")
    func initialisation() {
        let a = TwoLayers(seed: 9)
        let b = TwoLayers(seed: 9)
        #expect(a.first.weight.value.values == b.first.weight.value.values)
        #expect(a.first.weight.value.values.allSatisfy { abs($0) <= 1 / Float(3).squareRoot() })
        #expect(a.first.weight.value.values != TwoLayers(seed: 10).first.weight.value.values)
    }

    @Test("dropout acts in training only")
    func dropout() {
        let d = Dropout(probability: 0.5)
        let x = Tensor.ones([1000])
        var eval = ForwardContext.evaluation
        #expect(d(x, context: &eval).values == x.values)
        var train = ForwardContext.training(generator: SeededGenerator(seed: 1))
        #expect(d(x, context: &train).values.contains(0))
    }

    @Test("loading checks every name and shape and reports all problems at once")
    func loading() throws {
        let m = TwoLayers(seed: 1)
        var state = TwoLayers(seed: 2).stateDictionary()
        try m.load(state, source: "other.safetensors")
        #expect(m.first.weight.value.values == state["first.weight"]!.values)
        state["first.bias"] = nil
        state["second.0.weight"] = Tensor.zeros([3, 3])
        state["third.weight"] = Tensor.zeros([1])
        #expect {
            try m.load(state, source: "bad.safetensors")
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.safetensors") && text.contains("3 problems")
                && text.contains("missing first.bias [4]")
                && text.contains("second.0.weight has shape [3, 3], the model needs [2, 4]")
                && text.contains("unexpected third.weight")
        }
    }
}
