extension Tensor {
    /// Calls `body` with the address of each tensor's first element, every tensor kept alive
    /// for the call: one level of nesting where a kernel would otherwise build a tower of
    /// `withUnsafeBufferPointer` closures. Only tensors the caller has just made
    /// (`uninitialized`, not yet shared) may be written through their addresses.
    public static func withAddresses<R>(_ tensors: [Tensor], _ body: ([UnsafeMutablePointer<Float>]) throws -> R)
        rethrows -> R
    {
        try withExtendedLifetime(tensors) { try body(tensors.map { $0.storage.pointer }) }
    }
}
