/// An N-dimensional array of float32 values, row-major and contiguous.
///
/// `Tensor` is a value type: copies share storage until one of them is written
/// (copy-on-write). A tensor that takes part in differentiation also carries a
/// `GradNode`, the record of how it was computed (see `Tape.swift`).
public struct Tensor {
    public let shape: [Int]
    /// The buffer behind the values, shared between copies until one is written.
    public internal(set) var storage: TensorStorage
    @usableFromInline var node: GradNode?

    @usableFromInline
    init(shape: [Int], storage: TensorStorage) {
        require(Shape.count(shape) == storage.count, "internal: storage does not match shape")
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// A tensor with every element set to `value`.
    public init(shape: [Int], repeating value: Float) {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor: negative size in shape \(Shape.describe(shape))")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: Shape.count(shape)))
    }

    /// A tensor from row-major values; their number must match the shape.
    public init(shape: [Int], values: [Float]) {
        let expected = Shape.count(shape)
        require(
            values.count == expected,
            "Tensor: \(values.count) values do not fill shape \(Shape.describe(shape)) (\(expected) elements)")
        self.init(shape: shape, storage: values.withUnsafeBufferPointer { TensorStorage(copying: $0) })
    }

    /// A rank-0 tensor.
    public init(_ scalar: Float) {
        self.init(shape: [], storage: TensorStorage(repeating: scalar, count: 1))
    }

    /// A tensor whose elements are written by `body` (which must write them all).
    @inlinable
    public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let storage = TensorStorage(uninitializedCount: Shape.count(shape))
        try body(storage.buffer)
        self.init(shape: shape, storage: storage)
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// The only element of a one-element tensor.
    public var scalar: Float {
        require(count == 1, "scalar: tensor of shape \(Shape.describe(shape)) has \(count) elements, not 1")
        return storage.pointer[0]
    }

    /// The elements in row-major order.
    public var values: [Float] { Array(storage.buffer) }

    /// Reads one element by its full index.
    public subscript(_ index: Int...) -> Float {
        require(index.count == rank, "subscript: \(index.count) indices for a tensor of rank \(rank)")
        var offset = 0
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            require(
                index[axis] >= 0 && index[axis] < shape[axis],
                "subscript: index \(index) is out of range for shape \(Shape.describe(shape))")
            offset += index[axis] * step
            step *= shape[axis]
        }
        return storage.pointer[offset]
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Writes the elements in place, copying the storage first if another tensor shares it.
    /// Writing bypasses the tape: use it for values that are not being differentiated
    /// (optimizer updates, data preparation).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: UnsafeBufferPointer(storage.buffer))
        }
        return try body(storage.buffer)
    }

    /// The address of the values after making the storage this tensor's own, for kernels
    /// that write several tensors at once (optimizers). Valid while this tensor lives and
    /// is not otherwise written.
    public mutating func uniqueStoragePointer() -> UnsafeMutablePointer<Float> {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: UnsafeBufferPointer(storage.buffer))
        }
        return storage.pointer
    }

    /// The same values, outside any differentiation record.
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor\(Shape.describe(shape))(\(shown)\(count > 8 ? ", …" : ""))"
    }
}

extension Tensor {
    /// A tensor whose elements are not set: for kernels that write every element
    /// through `withUnsafeMutableBufferPointer` before anything reads them.
    public static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(uninitializedCount: Shape.count(shape)))
    }
}
