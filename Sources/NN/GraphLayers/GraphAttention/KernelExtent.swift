/// A size that a kernel loops over, known either when the code is compiled or only when
/// it runs. Kernels written generically over `KernelExtent` are specialised by the compiler
/// for each fixed size they are called with: loops over 4 heads or 5 edge features then
/// unroll into straight-line code, where the same loop over a run-time size spends more on
/// counting than on arithmetic. The run-time form keeps every other size working.
///
/// NN fixes no sizes itself: the caller declares the fixed extents it wants (a type whose
/// `value` is a constant) and builds `AttentionKernels` from them.
public protocol KernelExtent {
    var value: Int { get }
}

/// A size known only at run time.
public struct RuntimeExtent: KernelExtent {
    public let value: Int

    @inlinable public init(value: Int) { self.value = value }
}
