import Autograd

extension GraphAttentionKernel {
    /// Scratch floats one graph's backward pass needs.
    @usableFromInline
    static func backwardScratch(_ m: Dimensions) -> Int {
        m.n &* m.d &+ 2 &* m.n &* m.n &* m.h &+ sharedScratch(m) &+ 2 &* m.n &* m.h &+ max(m.h, m.e)
    }

    /// The scratch region that holds, in turn, α', the transposed columns for d att_edge and
    /// the two per-head sums for d att_src and d att_dst.
    @inlinable @inline(__always)
    static func sharedScratch(_ m: Dimensions) -> Int {
        let nn = m.n &* m.n
        return max(nn &* m.h, (m.h &+ m.e) &* nn, 2 &* m.dh)
    }

    /// The backward pass of one graph. `accumulators` receives the gradients of att_src,
    /// att_dst, att_edge and the bias where `layout` places them.
    @inlinable @inline(__always)
    static func backward<Heads: KernelExtent, EdgeWidth: KernelExtent>(
        graph: Int, _ m: Dimensions, heads: Heads, edgeWidth: EdgeWidth, _ p: BackwardPointers,
        accumulators acc: UnsafeMutablePointer<Float>, layout: AccumulatorLayout, scratch: UnsafeMutablePointer<Float>
    ) {
        let (n, h, dh, e) = (m.n, heads.value, m.dh, edgeWidth.value)
        let d = h &* dh
        let nh = n &* h
        let nnh = n &* nh
        let nn = n &* n
        let gg = UnsafeMutablePointer(scratch)  // the gradient of the messages o, [n, d]
        let dScore = scratch + n &* d
        let weighted = dScore + nnh
        let toReceiver = weighted + sharedScratch(m)
        let fromSender = toReceiver + nh
        let rowDot = fromSender + nh
        let keep = rowDot + max(h, e)  // the attention-dropout multipliers of this graph
        let alpha = p.alpha + graph &* nnh
        let pre = p.preactivation + graph &* nnh
        if let dropout = p.dropout {
            let base = graph &* nnh
            for x in 0..<nnh { keep[x] = dropout.multiplier(base &+ x) }
        } else {
            for x in 0..<nnh { keep[x] = 1 }
        }
        let adjacency = p.adjacency + graph &* n &* n
        let edges = p.edges + graph &* n &* n &* e
        let zg = p.z + graph &* n &* d
        let dzg = p.dz + graph &* n &* d
        // Through the residual update: dh = g · m, do = g · m · ELU'(o + bias), d bias = Σ do.
        // Absent receivers (mask 0) pass no gradient at all: their rows are zero throughout.
        let present = p.nodeMask + graph &* n
        let dBias = acc + layout.bias
        for i in 0..<n {
            let row = (graph &* n &+ i) &* d
            let (gRow, slopeRow, doRow) = (p.grad + row, p.slope + row, gg + i &* d)
            guard present[i] != 0 else {
                doRow.initialize(repeating: 0, count: d)
                p.dStates?.advanced(by: row).initialize(repeating: 0, count: d)
                continue
            }
            for c in 0..<d {
                let v = gRow[c] * slopeRow[c]
                doRow[c] = v
                dBias[c] += v
            }
            if let dStates = p.dStates {
                let (mask, dhRow) = (present[i], dStates + row)
                for c in 0..<d { dhRow[c] = gRow[c] * mask }
            }
        }
        // Through the weighted sum: dα_ij = (g_i · z_j) · keep_ij, and dz_j = Σ_i α'_ij g_i
        // (written first; the node terms add to it below).
        for i in 0..<n {
            guard present[i] != 0 else {
                (dScore + i &* nh).initialize(repeating: 0, count: nh)
                continue
            }
            for k in 0..<h {
                VectorMath.dots(
                    gg + (i &* d &+ k &* dh), vectors: zg + k &* dh, vectorStride: d, count: n, length: dh,
                    into: dScore + (i &* n &* h &+ k), outStride: h)
            }
        }
        for x in 0..<nnh { dScore[x] *= keep[x] }
        // dz_j = Σ_i α'_ij g_i per head: α' = α · keep, read down its receiver axis (stride n·h).
        for x in 0..<nnh { weighted[x] = alpha[x] * keep[x] }
        for j in 0..<n {
            for k in 0..<h {
                VectorMath.weightedSum(
                    weights: weighted + (j &* h &+ k), weightStride: nh, vectors: gg + k &* dh, vectorStride: d,
                    count: n, length: dh, into: dzg + (j &* d &+ k &* dh))
            }
        }
        // Through the softmax and the LeakyReLU, in place: dScore becomes ds, the gradient of
        // the scores before the LeakyReLU (0 for blocked senders).
        for i in 0..<n where present[i] != 0 {
            let rowAlpha = alpha + i &* nh
            let rowGrad = dScore + i &* nh
            let rowPre = pre + i &* nh
            for k in 0..<h { rowDot[k] = 0 }
            for j in 0..<n {
                for k in 0..<h { rowDot[k] += rowAlpha[j &* h &+ k] * rowGrad[j &* h &+ k] }
            }
            for j in 0..<n {
                let allowed: Float = adjacency[i &* n &+ j] != 0 ? 1 : 0
                for k in 0..<h {
                    let at = j &* h &+ k
                    let leak: Float = rowPre[at] > 0 ? 1 : leakySlope
                    rowGrad[at] = allowed * rowAlpha[at] * (rowGrad[at] - rowDot[k]) * leak
                }
            }
        }
        // Into the node terms (sums over senders and over receivers) and att_edge.
        for x in 0..<(2 &* nh) { toReceiver[x] = 0 }
        for i in 0..<n {
            for j in 0..<n {
                let pair = dScore + (i &* n &+ j) &* h
                for k in 0..<h {
                    toReceiver[i &* h &+ k] += pair[k]
                    fromSender[j &* h &+ k] += pair[k]
                }
            }
        }
        // d att_edge[k, q] = Σ_pairs ds[pair, k] · e[pair, q], as dot products of the
        // transposed columns (one long sum per (k, q) would be a chain of dependent adds).
        let columns = weighted  // free again: ds by head [k][pair], then edges by feature [q][pair]
        let edgeColumns = columns + h &* nn
        for pair in 0..<nn {
            for k in 0..<h { columns[k &* nn &+ pair] = dScore[pair &* h &+ k] }
            for q in 0..<e { edgeColumns[q &* nn &+ pair] = edges[pair &* e &+ q] }
        }
        let dEdge = acc + layout.edge
        for k in 0..<h {
            VectorMath.dots(
                columns + k &* nn, vectors: edgeColumns, vectorStride: nn, count: e, length: nn,
                into: rowDot, outStride: 1)
            for q in 0..<e { dEdge[k &* e &+ q] += rowDot[q] }
        }
        // Through the node terms into z and the attention vectors.
        for node in 0..<n {
            for k in 0..<h {
                let dzk = dzg + (node &* d &+ k &* dh)
                VectorMath.axpy(toReceiver[node &* h &+ k], p.dst + k &* dh, dzk, dh)
                VectorMath.axpy(fromSender[node &* h &+ k], p.src + k &* dh, dzk, dh)
            }
        }
        // d att_src and d att_dst: weighted sums of the nodes' z per head, kept in registers
        // over the nodes and added to the accumulators once per graph.
        let sum = weighted
        for k in 0..<h {
            VectorMath.weightedSum(
                weights: fromSender + k, weightStride: h, vectors: zg + k &* dh, vectorStride: d,
                count: n, length: dh, into: sum)
            VectorMath.weightedSum(
                weights: toReceiver + k, weightStride: h, vectors: zg + k &* dh, vectorStride: d,
                count: n, length: dh, into: sum + dh)
            VectorMath.axpy(1, sum, acc + (layout.source &+ k &* dh), dh)
            VectorMath.axpy(1, sum + dh, acc + (layout.destination &+ k &* dh), dh)
        }
    }
}
