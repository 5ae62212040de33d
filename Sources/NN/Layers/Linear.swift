import Autograd
import Foundation

/// y = x · Wᵀ + b, with W laid out [out, in] as in PyTorch.
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter?

    /// PyTorch's default initialisation: U(-1/√in, 1/√in) for weight and bias.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: inout SeededGenerator) {
        let bound = 1 / Float(Foundation.sqrt(Double(max(inFeatures, 1))))
        weight = Parameter(.randomUniform([outFeatures, inFeatures], low: -bound, high: bound, generator: &generator))
        self.bias =
            bias ? Parameter(.randomUniform([outFeatures], low: -bound, high: bound, generator: &generator)) : nil
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }
    /// The bias, or zeros for a layer without one.
    public var biasValue: Tensor { bias?.value ?? Tensor.zeros([outFeatures]) }

    public var children: [(name: String, child: ModuleChild)] {
        var c: [(name: String, child: ModuleChild)] = [("weight", .parameter(weight))]
        if let bias { c.append(("bias", .parameter(bias))) }
        return c
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.linear(weight: weight.value, bias: bias?.value)
    }
}
