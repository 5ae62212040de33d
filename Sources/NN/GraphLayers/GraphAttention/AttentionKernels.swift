/// The forms of the graph attention kernel a model runs: a form compiled for each fixed
/// (heads, edge width) pair the caller names, and the general form for every other pair.
///
/// A specialised form is built where the fixed extents are known, in the caller's module:
///
///     struct Four: KernelExtent { var value: Int { 4 } }
///     struct Five: KernelExtent { var value: Int { 5 } }
///     let kernels = AttentionKernels([.specialised(heads: Four(), edgeWidth: Five())])  // AttentionKernels.Form.specialised
///
/// `specialised` and the kernel loops are inlinable, so the compiler emits the loops with 4
/// and 5 as constants there. Which pairs to specialise is the caller's choice: NN does not
/// know any model's shapes.
public struct AttentionKernels: @unchecked Sendable {
    /// One compiled form: the pair it serves and its two passes.
    public struct Form {
        @usableFromInline let heads: Int
        @usableFromInline let edgeWidth: Int
        @usableFromInline let forward: (GraphAttentionKernel.ForwardLoop) -> Void
        @usableFromInline let backward: (GraphAttentionKernel.BackwardLoop) -> Void

        @inlinable
        init(
            heads: Int, edgeWidth: Int, forward: @escaping (GraphAttentionKernel.ForwardLoop) -> Void,
            backward: @escaping (GraphAttentionKernel.BackwardLoop) -> Void
        ) {
            self.heads = heads
            self.edgeWidth = edgeWidth
            self.forward = forward
            self.backward = backward
        }

        /// The form compiled with `heads` and `edgeWidth` as constants.
        @inlinable
        public static func specialised<Heads: KernelExtent, EdgeWidth: KernelExtent>(heads: Heads, edgeWidth: EdgeWidth)
            -> Form
        {
            Form(
                heads: heads.value, edgeWidth: edgeWidth.value,
                forward: { $0.run(heads: heads, edgeWidth: edgeWidth) },
                backward: { $0.run(heads: heads, edgeWidth: edgeWidth) })
        }
    }

    let forms: [Form]

    public init(_ forms: [Form]) { self.forms = forms }

    /// The general form only: every size works, none is unrolled.
    public static let general = AttentionKernels([])

    /// The pairs with a compiled form.
    public var specialisedShapes: [(heads: Int, edgeWidth: Int)] { forms.map { ($0.heads, $0.edgeWidth) } }

    func form(heads: Int, edgeWidth: Int) -> Form? { forms.first { $0.heads == heads && $0.edgeWidth == edgeWidth } }

    func forward(_ loop: GraphAttentionKernel.ForwardLoop) {
        let (h, e) = (loop.dims.h, loop.dims.e)
        if let form = form(heads: h, edgeWidth: e) {
            form.forward(loop)
        } else {
            loop.run(heads: RuntimeExtent(value: h), edgeWidth: RuntimeExtent(value: e))
        }
    }

    func backward(_ loop: GraphAttentionKernel.BackwardLoop) {
        let (h, e) = (loop.dims.h, loop.dims.e)
        if let form = form(heads: h, edgeWidth: e) {
            form.backward(loop)
        } else {
            loop.run(heads: RuntimeExtent(value: h), edgeWidth: RuntimeExtent(value: e))
        }
    }
}
