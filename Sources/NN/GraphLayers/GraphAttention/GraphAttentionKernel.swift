import Autograd
import Foundation

/// The whole of `GraphAttention` as one fused op over many small dense graphs: the
/// projection z = W h, then per graph the scores from node and edge terms, LeakyReLU, the
/// masked softmax over senders, attention dropout, the weighted sum of the senders' values,
/// and the residual update with bias, ELU and node mask. The graphs are split over the
/// cores once per pass: each core projects its own graphs' rows (one BLAS call) and then
/// runs the per-graph steps (`+Forward`, `+Backward`) on them, so that a graph's data stays
/// in that core's cache instead of streaming through memory once per step, and a pass
/// waits for the cores once rather than once per product. Backward adds the projection's
/// input gradient dz·W straight onto the residual's (BLAS with β = 1), per chunk, rather
/// than into a second tensor to be summed.
///
/// It computes exactly what this composition of plain ops computes (the tests check it):
///
///     z = h · Wᵀ
///     aDst = (z · att_dst).sum(-1); aSrc = (z · att_src).sum(-1); aEdge = edges · att_edgeᵀ
///     s = LeakyReLU_0.2(aDst_i + aSrc_j + aEdge_ij), set to -1e9 where adjacency is 0
///     α = softmax_j(s); o_i = Σ_j (α_ij · keep_ij) z_j per head, + bias
///     h'_i = (h_i + ELU(o_i)) · m_i
@usableFromInline
enum GraphAttentionKernel {
    /// The fewest node rows in a chunk of the parallel passes: small enough that the global
    /// graph of a batch (16 clips × 8 entities = 128 rows) still splits over two cores (one
    /// chunk cost it 0.9 ms of a `charades` step), large enough that a chunk's projection is a
    /// product worth a call.
    @usableFromInline static let minimumChunkRows = 64

    /// The negative slope of the scores' LeakyReLU.
    @usableFromInline static let leakySlope: Float = 0.2

    /// - Parameters:
    ///   - h: the layer's input states [G, N, H·Dh]; weight: W [H·Dh, H·Dh] ([out, in]).
    ///   - dropout: the attention-dropout draw, or nil: element x of [G, N, N, H] is kept with
    ///     multiplier `dropout.multiplier(x)` (0 or 1/(1-p)), computed inline in both passes.
    /// - Returns: the new states [G, N, H·Dh] (differentiable in h, W, the three attention
    ///   vectors and the bias) and α [G, N, N, H] before dropout (a plain value).
    static func apply(
        states h: Tensor, weight: Tensor, attSource: Tensor, attDestination: Tensor, attEdge: Tensor, bias: Tensor,
        edges: Tensor, adjacency: Tensor, nodeMask: Tensor, dropout: DropoutDraw?, kernels: AttentionKernels
    ) -> (states: Tensor, attention: Tensor) {
        require(
            !edges.requiresGrad && !adjacency.requiresGrad && !nodeMask.requiresGrad,
            "graph attention: edge features, adjacency and node mask are inputs of the data, not differentiated")
        require(h.rank == 3, "graph attention: states \(Shape.describe(h.shape)) must be [G, N, D]")
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        let heads = attSource.shape[0]
        let e = attEdge.shape[1]
        let dh = d / heads
        // The kernels index with wrapping arithmetic through raw pointers: these shapes are
        // what keeps every index in bounds.
        require(
            weight.shape == [d, d] && heads * dh == d && attSource.shape == [heads, dh]
                && attDestination.shape == [heads, dh] && attEdge.shape == [heads, e] && bias.shape == [d]
                && edges.shape == [g, n, n, e] && adjacency.shape == [g, n, n] && nodeMask.shape == [g, n],
            "graph attention: shapes do not fit: h \(Shape.describe(h.shape)), W \(Shape.describe(weight.shape)), att_src \(Shape.describe(attSource.shape)), att_edge \(Shape.describe(attEdge.shape)), bias \(Shape.describe(bias.shape)), edges \(Shape.describe(edges.shape)), adjacency \(Shape.describe(adjacency.shape)), mask \(Shape.describe(nodeMask.shape))"
        )
        let dims = Dimensions(n: n, h: heads, dh: dh, e: e)
        let z = Tensor.uninitialized([g, n, d])
        BLAS.recordProduct(transA: false, transB: true, m: g * n, n: d, k: d)
        let states = Tensor.uninitialized([g, n, d])
        // mask · ELU'(o) per element, for the backward pass.
        let slope = Tensor.uninitialized([g, n, d])
        let alpha = Tensor.uninitialized([g, n, n, heads])
        let preactivation = Tensor.uninitialized([g, n, n, heads])
        // Two tuples of tensors, no array: `withExtendedLifetime` of a tuple that held an array
        // literal of tensors leaked the whole tuple every call (Swift 6.3.1, release build).
        let inputs = (h, weight, attSource, attDestination, attEdge, bias, edges, adjacency, nodeMask)
        withExtendedLifetime((inputs, (z, states, slope, alpha, preactivation))) {
            let p = ForwardPointers(
                z: z.storage.pointer, weight: weight.address, h: h.address, src: attSource.address,
                dst: attDestination.address, attEdge: attEdge.address,
                bias: bias.address, edges: edges.address, adjacency: adjacency.address, nodeMask: nodeMask.address,
                dropout: dropout, alpha: alpha.storage.pointer, preactivation: preactivation.storage.pointer,
                out: states.storage.pointer, slope: slope.storage.pointer)
            kernels.forward(ForwardLoop(graphs: g, dims: dims, pointers: p))
        }
        let saved = Saved(
            h: h.detached(), weight: weight.detached(), z: z, attSource: attSource.detached(),
            attDestination: attDestination.detached(), edges: edges, adjacency: adjacency, nodeMask: nodeMask,
            alpha: alpha, preactivation: preactivation, slope: slope, dropout: dropout, dims: dims, graphs: g,
            needStates: h.requiresGrad, needWeight: weight.requiresGrad, kernels: kernels)
        let recorded = Tensor.record(states, inputs: [h, weight, attSource, attDestination, attEdge, bias]) { grad in
            backward(grad, saved)
        }
        return (recorded, alpha)
    }

    static func backward(_ grad: Tensor, _ s: Saved) -> [Tensor?] {
        let m = s.dims
        let (n, h, dh, e, d) = (m.n, m.h, m.dh, m.e, m.d)
        let g = s.graphs
        let perChunk = m.graphsPerChunk(of: g)
        let chunks = (g + perChunk - 1) / perChunk
        let layout = AccumulatorLayout(m)
        // Per-chunk partial sums of the parameter vectors' gradients, added in chunk order: the
        // chunks are of a fixed size, so the sums are the same whatever the number of workers.
        let partials = Tensor.zeros([max(chunks, 1), layout.size])
        let dz = Tensor.uninitialized([g, n, d])
        let dStates = s.needStates ? Tensor.uninitialized([g, n, d]) : nil
        withExtendedLifetime((grad, s, partials, dz, dStates)) {
            let p = BackwardPointers(
                grad: grad.address, z: s.z.address, weight: s.weight.address, slope: s.slope.address,
                alpha: s.alpha.address,
                preactivation: s.preactivation.address, src: s.attSource.address,
                dst: s.attDestination.address, edges: s.edges.address, adjacency: s.adjacency.address,
                nodeMask: s.nodeMask.address, dropout: s.dropout, dz: dz.storage.pointer,
                dStates: dStates?.storage.pointer)
            s.kernels.backward(
                BackwardLoop(
                    graphs: g, chunks: chunks, dims: m, pointers: p, accumulators: partials.storage.pointer,
                    layout: layout))
        }
        // Through the projection: dh += dz · W was added per chunk in the loop; dW = dzᵀ · h here.
        let rows = g * n
        if dStates != nil { BLAS.recordProduct(transA: false, transB: false, m: rows, n: d, k: d) }
        var dWeight: Tensor?
        if s.needWeight {
            let dw = Tensor.uninitialized([d, d])
            withExtendedLifetime((dz, s.h, dw)) {
                BLAS.gemm(
                    transA: true, transB: false, m: d, n: d, k: rows, a: dz.address, lda: d, b: s.h.address, ldb: d,
                    c: dw.storage.pointer, ldc: d)
            }
            dWeight = dw
        }
        let totals = partials.sum(axis: 0).values  // chunk by chunk, in order
        func part(_ offset: Int, _ shape: [Int]) -> Tensor {
            Tensor(shape: shape, values: Array(totals[offset..<(offset + Shape.count(shape))]))
        }
        return [
            dStates, dWeight, part(layout.source, [h, dh]), part(layout.destination, [h, dh]),
            part(layout.edge, [h, e]), part(layout.bias, [d]),
        ]
    }

    @usableFromInline
    struct Dimensions {
        @usableFromInline let n, h, dh, e: Int
        @inlinable var d: Int { h * dh }

        init(n: Int, h: Int, dh: Int, e: Int) {
            (self.n, self.h, self.dh, self.e) = (n, h, dh, e)
        }

        /// The node rows of a range of graphs.
        @inlinable func rows(_ graphs: Range<Int>) -> Range<Int> { graphs.lowerBound &* n..<graphs.upperBound &* n }

        /// Graphs per chunk of the parallel passes over `graphs` graphs: as `BLAS.blockSize`
        /// splits rows (at least `minimumChunkRows` node rows, at most `BLAS.maximumBlocks`
        /// chunks), so that each chunk's projection is one product of a size that depends on
        /// the shapes alone, whatever the number of workers.
        @inlinable func graphsPerChunk(of graphs: Int) -> Int {
            let rows = BLAS.blockSize(graphs &* n, minimum: GraphAttentionKernel.minimumChunkRows)
            return max(1, (rows + max(n, 1) - 1) / max(n, 1))
        }
    }

    /// Where each parameter's gradient sits in a chunk's accumulators.
    @usableFromInline
    struct AccumulatorLayout {
        @usableFromInline let source, destination, edge, bias, size: Int

        init(_ m: Dimensions) {
            source = 0
            destination = m.d
            edge = 2 * m.d
            bias = edge + m.h * m.e
            size = bias + m.d
        }
    }

    @usableFromInline
    struct ForwardPointers {
        /// Written by the loop (each chunk projects its own graphs' rows), then read.
        @usableFromInline let z: UnsafeMutablePointer<Float>
        @usableFromInline let weight, h, src, dst, attEdge, bias, edges, adjacency, nodeMask: UnsafePointer<Float>
        @usableFromInline let dropout: DropoutDraw?
        @usableFromInline let alpha, preactivation, out, slope: UnsafeMutablePointer<Float>
    }

    @usableFromInline
    struct BackwardPointers {
        @usableFromInline let grad, z, weight, slope, alpha, preactivation, src, dst, edges, adjacency,
            nodeMask: UnsafePointer<Float>
        @usableFromInline let dropout: DropoutDraw?
        @usableFromInline let dz: UnsafeMutablePointer<Float>
        @usableFromInline let dStates: UnsafeMutablePointer<Float>?
    }

    struct Saved {
        let h, weight, z, attSource, attDestination, edges, adjacency, nodeMask, alpha, preactivation, slope: Tensor
        let dropout: DropoutDraw?
        let dims: Dimensions
        let graphs: Int
        let needStates, needWeight: Bool
        let kernels: AttentionKernels
    }

    /// The forward pass over all graphs, split over the cores.
    @usableFromInline
    struct ForwardLoop {
        @usableFromInline let graphs: Int
        @usableFromInline let dims: Dimensions
        @usableFromInline let pointers: ForwardPointers

        init(graphs: Int, dims: Dimensions, pointers: ForwardPointers) {
            (self.graphs, self.dims, self.pointers) = (graphs, dims, pointers)
        }

        @inlinable
        func run<Heads: KernelExtent, EdgeWidth: KernelExtent>(heads: Heads, edgeWidth: EdgeWidth) {
            let loop = UnsafeSendable(self)
            Parallel.forEachFixedChunk(count: graphs, chunkSize: dims.graphsPerChunk(of: graphs)) { _, chunk in
                let l = loop.value
                // z = h · Wᵀ for this chunk's rows, on this core, just before the graphs use them.
                let (d, rows) = (l.dims.d, l.dims.rows(chunk))
                BLAS.gemmOnThisThread(
                    transA: false, transB: true, m: rows.count, n: d, k: d, a: l.pointers.h + rows.lowerBound &* d,
                    lda: d, b: l.pointers.weight, ldb: d, c: l.pointers.z + rows.lowerBound &* d, ldc: d)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: forwardScratch(l.dims))
                defer { scratch.deallocate() }
                for graph in chunk {
                    forward(graph: graph, l.dims, heads: heads, edgeWidth: edgeWidth, l.pointers, scratch: scratch)
                }
            }
        }
    }

    /// The backward pass over all graphs, chunk by chunk (`Dimensions.graphsPerChunk(of:)`), each
    /// chunk adding the parameter vectors' gradients into its own accumulators.
    @usableFromInline
    struct BackwardLoop {
        @usableFromInline let graphs, chunks: Int
        @usableFromInline let dims: Dimensions
        @usableFromInline let pointers: BackwardPointers
        @usableFromInline let accumulators: UnsafeMutablePointer<Float>
        @usableFromInline let layout: AccumulatorLayout

        init(
            graphs: Int, chunks: Int, dims: Dimensions, pointers: BackwardPointers,
            accumulators: UnsafeMutablePointer<Float>,
            layout: AccumulatorLayout
        ) {
            (self.graphs, self.chunks, self.dims, self.pointers) = (graphs, chunks, dims, pointers)
            (self.accumulators, self.layout) = (accumulators, layout)
        }

        @inlinable
        func run<Heads: KernelExtent, EdgeWidth: KernelExtent>(heads: Heads, edgeWidth: EdgeWidth) {
            let loop = UnsafeSendable(self)
            Parallel.forEachFixedChunk(count: graphs, chunkSize: dims.graphsPerChunk(of: graphs)) { number, chunk in
                let l = loop.value
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: backwardScratch(l.dims))
                defer { scratch.deallocate() }
                for graph in chunk {
                    backward(
                        graph: graph, l.dims, heads: heads, edgeWidth: edgeWidth, l.pointers,
                        accumulators: l.accumulators + number &* l.layout.size, layout: l.layout, scratch: scratch)
                }
                // dh += dz · W for this chunk's rows (the residual's share is already in dh).
                if let dStates = l.pointers.dStates {
                    let (d, rows) = (l.dims.d, l.dims.rows(chunk))
                    BLAS.gemmOnThisThread(
                        transA: false, transB: false, m: rows.count, n: d, k: d,
                        a: l.pointers.dz + rows.lowerBound &* d, lda: d, b: l.pointers.weight, ldb: d,
                        beta: 1, c: dStates + rows.lowerBound &* d, ldc: d)
                }
            }
        }
    }
}

extension Tensor {
    /// The first element's address, for kernels that read the tensor while it is kept alive
    /// (`withExtendedLifetime`) and never write it.
    fileprivate var address: UnsafePointer<Float> { UnsafePointer(storage.pointer) }
}
