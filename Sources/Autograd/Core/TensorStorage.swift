/// The float32 buffer behind a tensor. Tensors share it until one of them writes
/// (copy-on-write, see `Tensor.withUnsafeMutableBufferPointer`).
///
/// Buffers are 64-byte aligned so that SIMD loops and BLAS get full cache lines, and
/// recycled through `BufferPool`.
public final class TensorStorage {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Uninitialised memory: callers must write every element before reading.
    public init(uninitializedCount count: Int) {
        self.count = count
        pointer = BufferPool.shared.take(count: count)
    }

    public convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    public convenience init(copying source: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: source.count)
        if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
    }

    deinit {
        BufferPool.shared.give(pointer, count: count)
    }

    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
