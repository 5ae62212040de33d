import Autograd

/// A table of learned vectors looked up by index, initialised N(0, 1) as in PyTorch.
public final class Embedding: Module {
    public let weight: Parameter

    public init(count: Int, dimension: Int, generator: inout SeededGenerator) {
        weight = Parameter(.randomNormal([count, dimension], generator: &generator))
    }

    public var count: Int { weight.shape[0] }

    public var children: [(name: String, child: ModuleChild)] { [("weight", .parameter(weight))] }

    /// Rows of the table for `indices`: shape `indexShape + [dimension]`.
    public func callAsFunction(_ indices: [Int], shape indexShape: [Int]) -> Tensor {
        require(
            Shape.count(indexShape) == indices.count,
            "Embedding: \(indices.count) indices for shape \(Shape.describe(indexShape))")
        return weight.value.indexSelect(axis: 0, indices: indices).reshaped(indexShape + [weight.shape[1]])
    }
}
