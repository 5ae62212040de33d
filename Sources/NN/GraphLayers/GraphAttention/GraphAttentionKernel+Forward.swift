import Autograd

extension GraphAttentionKernel {
    /// Scratch floats one graph's forward pass needs.
    @usableFromInline
    static func forwardScratch(_ m: Dimensions) -> Int { 2 &* m.n &* m.h &+ m.n &* m.n &* m.h &+ m.d }

    /// The forward pass of one graph, in flat passes over its n·n·h scores (receiver i,
    /// sender j, head k) so that the costly step, exp, runs vectorised over all of them;
    /// then per receiver its message and the residual update. Index arithmetic wraps
    /// (&+, &*): every index is below the tensors' counts, checked by the shapes in `apply`.
    @inlinable @inline(__always)
    static func forward<Heads: KernelExtent, EdgeWidth: KernelExtent>(
        graph: Int, _ m: Dimensions, heads: Heads, edgeWidth: EdgeWidth, _ p: ForwardPointers,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let (n, h, dh, e) = (m.n, heads.value, m.dh, edgeWidth.value)
        let d = h &* dh
        let nh = n &* h
        let toReceiver = scratch
        let fromSender = scratch + nh
        let weights = scratch + 2 &* nh
        let message = weights + n &* nh
        let zg = p.z + graph &* n &* d
        nodeTerms(zg, m, heads: heads, p.dst, p.src, toReceiver: toReceiver, fromSender: fromSender)
        let pre = p.preactivation + graph &* n &* nh
        let alpha = p.alpha + graph &* n &* nh
        let adjacency = p.adjacency + graph &* n &* n
        let edges = p.edges + graph &* n &* n &* e
        // Receivers that are absent (mask 0) get no scores, uniform attention and a zero
        // update: their output is masked to zero whatever their messages, and so is every
        // gradient through them.
        let present = p.nodeMask + graph &* n
        // Scores s = a_dst·z_i + a_src·z_j + a_edge·e_ij, and their LeakyReLU.
        for i in 0..<n {
            guard present[i] != 0 else {
                for x in 0..<nh { (pre[i &* nh &+ x], alpha[i &* nh &+ x]) = (0, 0) }
                continue
            }
            for j in 0..<n {
                let pair = i &* n &+ j
                let pairEdges = edges + pair &* e
                for k in 0..<h {
                    var s = toReceiver[i &* h &+ k] + fromSender[j &* h &+ k]
                    let a = p.attEdge + k &* e
                    for q in 0..<e { s += a[q] * pairEdges[q] }
                    pre[pair &* h &+ k] = s
                    alpha[pair &* h &+ k] = s > 0 ? s : leakySlope * s
                }
            }
        }
        // Softmax over the allowed senders of each receiver and head: shift by the row
        // maximum, exp over the whole graph at once, then zero the blocked senders and normalise.
        // The per-head row values live in a stack buffer of h floats: with h fixed at compile
        // time the compiler keeps them in registers.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: h) { buffer in
            let rowTop = buffer.baseAddress!
            for i in 0..<n where present[i] != 0 {
                let row = alpha + i &* nh
                for k in 0..<h { rowTop[k] = -.infinity }
                for j in 0..<n where adjacency[i &* n &+ j] != 0 {
                    for k in 0..<h { rowTop[k] = max(rowTop[k], row[j &* h &+ k]) }
                }
                for j in 0..<n {
                    for k in 0..<h { row[j &* h &+ k] -= rowTop[k] }
                }
            }
        }
        for x in 0..<(n &* nh) { alpha[x] = FastMath.exp(alpha[x]) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: h) { buffer in
            let rowScale = buffer.baseAddress!
            for i in 0..<n {
                let row = alpha + i &* nh
                for k in 0..<h { rowScale[k] = 0 }
                var senders = 0
                for j in 0..<n {
                    if adjacency[i &* n &+ j] != 0 {
                        senders &+= 1
                        for k in 0..<h { rowScale[k] += row[j &* h &+ k] }
                    } else {
                        for k in 0..<h { row[j &* h &+ k] = 0 }
                    }
                }
                if senders == 0 || present[i] == 0 {
                    // An absent receiver, or one without senders: uniform, as softmax of all -1e9.
                    for x in 0..<nh { row[x] = 1 / Float(n) }
                    continue
                }
                for k in 0..<h { rowScale[k] = 1 / rowScale[k] }
                for j in 0..<n {
                    for k in 0..<h { row[j &* h &+ k] *= rowScale[k] }
                }
            }
        }
        // Messages o_i = Σ_j α'_ij z_j per head (α' = α · keep), and at once the update
        // h'_i = (h_i + ELU(o_i + bias)) · m_i with its slope m_i · ELU'(o_i + bias) saved.
        var used = UnsafePointer(alpha)
        if let dropout = p.dropout {
            let base = graph &* n &* nh
            for x in 0..<(n &* nh) { weights[x] = alpha[x] * dropout.multiplier(base &+ x) }
            used = UnsafePointer(weights)
        }
        for i in 0..<n {
            let row = (graph &* n &+ i) &* d
            let (hRow, outRow, slopeRow) = (p.h + row, p.out + row, p.slope + row)
            let mask = present[i]
            guard mask != 0 else {
                outRow.initialize(repeating: 0, count: d)
                slopeRow.initialize(repeating: 0, count: d)
                continue
            }
            for k in 0..<h {
                VectorMath.weightedSum(
                    weights: used + (i &* nh &+ k), weightStride: h, vectors: zg + k &* dh, vectorStride: d,
                    count: n, length: dh, into: message + k &* dh)
            }
            for c in 0..<d {
                let a = message[c] + p.bias[c]
                let exp = FastMath.exp(min(a, 0))
                let positive = a > 0
                outRow[c] = (hRow[c] + (positive ? a : exp - 1)) * mask
                slopeRow[c] = (positive ? 1 : exp) * mask
            }
        }
    }

    /// att_dst^k · z_i^k into `toReceiver[i·h + k]` and att_src^k · z_i^k into `fromSender[i·h + k]`.
    @inlinable @inline(__always)
    static func nodeTerms<Heads: KernelExtent>(
        _ zg: UnsafePointer<Float>, _ m: Dimensions, heads: Heads, _ dst: UnsafePointer<Float>,
        _ src: UnsafePointer<Float>,
        toReceiver: UnsafeMutablePointer<Float>, fromSender: UnsafeMutablePointer<Float>
    ) {
        let (n, h, dh) = (m.n, heads.value, m.dh)
        let d = h &* dh
        for k in 0..<h {
            VectorMath.dots(
                dst + k &* dh, vectors: zg + k &* dh, vectorStride: d, count: n, length: dh,
                into: toReceiver + k, outStride: h)
            VectorMath.dots(
                src + k &* dh, vectors: zg + k &* dh, vectorStride: d, count: n, length: dh,
                into: fromSender + k, outStride: h)
        }
    }
}
