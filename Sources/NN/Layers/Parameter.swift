import Autograd

/// A trainable tensor: a leaf of the tape that layers read and optimizers update.
///
/// A class, so that the layer using it and the optimizer updating it see one object.
public final class Parameter {
    public private(set) var value: Tensor

    public init(_ initial: Tensor) {
        value = initial.requiringGrad()
    }

    public var shape: [Int] { value.shape }
    public var grad: Tensor? { value.grad }

    public func zeroGrad() { value.zeroGrad() }

    public func setGrad(_ g: Tensor?) { value.setGrad(g) }

    /// Overwrites the values (same shape), keeping this leaf and its gradient slot.
    public func assign(_ newValue: Tensor) {
        require(
            newValue.shape == value.shape,
            "assign: \(Shape.describe(newValue.shape)) into a parameter of shape \(Shape.describe(value.shape))")
        newValue.withUnsafeBufferPointer { src in
            value.withUnsafeMutableBufferPointer { dst in
                _ = dst.update(fromContentsOf: src)
            }
        }
    }

    /// Updates the values in place (optimizers).
    public func update(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        value.withUnsafeMutableBufferPointer(body)
    }

    /// The address of the values, made this parameter's own; valid until the values are
    /// replaced. For optimizers that update all parameters in one parallel pass.
    public func uniqueValuePointer() -> UnsafeMutablePointer<Float> {
        value.uniqueStoragePointer()
    }
}
