import Autograd
import Foundation

/// The attention core of `GraphAttention` as one fused op over many small dense graphs:
/// scores from node and edge terms, LeakyReLU, the masked softmax over senders,
/// attention dropout and the weighted sum of the senders' values, forward and backward
/// in one pass per graph, graphs split over the cores.
///
/// It computes exactly what this composition of plain ops computes (the tests check it):
///
///     aDst = (z · att_dst).sum(-1); aSrc = (z · att_src).sum(-1); aEdge = edges · att_edgeᵀ
///     s = LeakyReLU_0.2(aDst_i + aSrc_j + aEdge_ij), set to -1e9 where adjacency is 0
///     α = softmax_j(s); messages_i = Σ_j (α_ij · keep_ij) z_j, per head
enum GraphAttentionKernel {
    static let masked: Float = -1e9
    static let slope: Float = 0.2

    /// - Parameters:
    ///   - z: projected states [G, N, H·Dh].
    ///   - keep: the attention-dropout multipliers [G, N, N, H] (0 or 1/(1-p)), or nil.
    /// - Returns: messages [G, N, H·Dh] (differentiable in z and the three attention
    ///   vectors) and α [G, N, N, H] before dropout (a plain value).
    static func apply(
        z: Tensor, attSource: Tensor, attDestination: Tensor, attEdge: Tensor,
        edges: Tensor, adjacency: Tensor, keep: Tensor?
    ) -> (messages: Tensor, attention: Tensor) {
        require(!edges.requiresGrad && !adjacency.requiresGrad,
                "graph attention: edge features and adjacency are inputs of the data, not differentiated")
        let (g, n, d) = (z.shape[0], z.shape[1], z.shape[2])
        let h = attSource.shape[0]
        let e = attEdge.shape[1]
        let dh = d / h
        let dims = Dimensions(n: n, h: h, dh: dh, e: e)
        var preactivation = Tensor.uninitialized([g, n, n, h])
        var alpha = Tensor.uninitialized([g, n, n, h])
        let messages = Tensor(shape: [g, n, d]) { out in
            let o = UnsafeSendable(out)
            z.withUnsafeBufferPointer { zv in
                attSource.withUnsafeBufferPointer { src in
                    attDestination.withUnsafeBufferPointer { dst in
                        attEdge.withUnsafeBufferPointer { ae in
                            edges.withUnsafeBufferPointer { ev in
                                adjacency.withUnsafeBufferPointer { adj in
                                    alpha.withUnsafeMutableBufferPointer { av in
                                        preactivation.withUnsafeMutableBufferPointer { pv in
                                            let p = Pointers(z: zv.baseAddress!, src: src.baseAddress!, dst: dst.baseAddress!, attEdge: ae.baseAddress!,
                                                             edges: ev.baseAddress!, adjacency: adj.baseAddress!, alpha: av.baseAddress!,
                                                             preactivation: pv.baseAddress!)
                                            let keepPointer = keep.map { k in k.withUnsafeBufferPointer { UnsafeSendable($0.baseAddress!) } }
                                            Parallel.forEachChunk(count: g, minimumChunk: 4) { graphs in
                                                let nodeTerms = UnsafeMutablePointer<Float>.allocate(capacity: 3 * n * h)
                                                defer { nodeTerms.deallocate() }
                                                for graph in graphs {
                                                    forward(graph: graph, dims, p, keep: keepPointer?.value, out: o.value.baseAddress!, nodeTerms: nodeTerms)
                                                }
                                            }
                                            withExtendedLifetime(keep) {}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let saved = Saved(z: z.detached(), attSource: attSource.detached(), attDestination: attDestination.detached(),
                          attEdge: attEdge.detached(), edges: edges, adjacency: adjacency, alpha: alpha,
                          preactivation: preactivation, keep: keep, dims: dims, graphs: g)
        let recorded = Tensor.record(messages, inputs: [z, attSource, attDestination, attEdge]) { grad in
            backward(grad, saved)
        }
        return (recorded, alpha)
    }

    struct Dimensions {
        let n, h, dh, e: Int
        var d: Int { h * dh }
    }

    struct Pointers {
        let z, src, dst, attEdge, edges, adjacency: UnsafePointer<Float>
        let alpha, preactivation: UnsafeMutablePointer<Float>
    }

    struct Saved {
        let z, attSource, attDestination, attEdge, edges, adjacency, alpha, preactivation: Tensor
        let keep: Tensor?
        let dims: Dimensions
        let graphs: Int
    }

    @inline(__always)
    static func forward(graph: Int, _ m: Dimensions, _ p: Pointers, keep: UnsafePointer<Float>?,
                        out: UnsafeMutablePointer<Float>, nodeTerms: UnsafeMutablePointer<Float>) {
        let scratchWeights = nodeTerms + 2 * m.n * m.h
        let (n, h, dh, e, d) = (m.n, m.h, m.dh, m.e, m.d)
        let zg = p.z + graph * n * d
        let (src, dst, attEdge) = (p.src, p.dst, p.attEdge)
        // Node terms: att_dst · z_i (first n·h) and att_src · z_j (next n·h) per head.
        for node in 0..<n {
            for k in 0..<h {
                let zk = zg + node * d + k * dh
                nodeTerms[node * h + k] = VectorMath.dot(zk, dst + k * dh, dh)
                nodeTerms[(n + node) * h + k] = VectorMath.dot(zk, src + k * dh, dh)
            }
        }
        let alpha = p.alpha + graph * n * n * h
        let pre = p.preactivation + graph * n * n * h
        let adjacency = p.adjacency + graph * n * n
        let edges = p.edges + graph * n * n * e
        for i in 0..<n {
            let rowAlpha = alpha + i * n * h
            let rowPre = pre + i * n * h
            for j in 0..<n {
                let pairEdges = edges + (i * n + j) * e
                for k in 0..<h {
                    var s = nodeTerms[i * h + k] + nodeTerms[(n + j) * h + k]
                    for q in 0..<e { s += attEdge[k * e + q] * pairEdges[q] }
                    rowPre[j * h + k] = s
                    rowAlpha[j * h + k] = s > 0 ? s : slope * s
                }
            }
            // Softmax over the allowed senders for each head; blocked senders get exactly 0.
            for k in 0..<h {
                var top = -Float.infinity
                for j in 0..<n where adjacency[i * n + j] != 0 { top = max(top, rowAlpha[j * h + k]) }
                if top == -Float.infinity {
                    // No sender at all (an absent receiver): uniform, as softmax of all -1e9.
                    for j in 0..<n { rowAlpha[j * h + k] = 1 / Float(n) }
                    continue
                }
                var total: Float = 0
                for j in 0..<n {
                    let v = adjacency[i * n + j] != 0 ? FastMath.exp(rowAlpha[j * h + k] - top) : 0
                    rowAlpha[j * h + k] = v
                    total += v
                }
                let r = 1 / total
                for j in 0..<n { rowAlpha[j * h + k] *= r }
            }
            // Messages: Σ_j α'_ij z_j per head, α' = α · keep.
            let row = out + (graph * n + i) * d
            var weights = rowAlpha
            if let keep {
                let rowKeep = keep + (graph * n + i) * n * h
                for x in 0..<(n * h) { scratchWeights[x] = rowAlpha[x] * rowKeep[x] }
                weights = scratchWeights
            }
            for k in 0..<h {
                VectorMath.weightedSum(weights: weights + k, weightStride: h, vectors: zg + k * dh, vectorStride: d,
                                       count: n, length: dh, into: row + k * dh)
            }
        }
    }

    static func backward(_ grad: Tensor, _ s: Saved) -> [Tensor?] {
        let m = s.dims
        let (n, h, dh, e, d) = (m.n, m.h, m.dh, m.e, m.d)
        let g = s.graphs
        let workers = max(1, min(Parallel.workers, g / 4))
        let accumulatorSize = 2 * d + h * e
        // Per-chunk partial sums of the attention vectors' gradients, added in chunk order.
        var partial = [Float](repeating: 0, count: workers * accumulatorSize)
        var dz = Tensor.uninitialized([g, n, d])
        let ones = s.keep == nil ? [Float](repeating: 1, count: n * n * h) : []
        dz.withUnsafeMutableBufferPointer { dzv in
            grad.withUnsafeBufferPointer { gv in
                s.z.withUnsafeBufferPointer { zv in
                    s.alpha.withUnsafeBufferPointer { av in
                        s.preactivation.withUnsafeBufferPointer { pv in
                            s.attSource.withUnsafeBufferPointer { src in
                                s.attDestination.withUnsafeBufferPointer { dst in
                                    s.edges.withUnsafeBufferPointer { ev in
                                        s.adjacency.withUnsafeBufferPointer { adj in
                                            (s.keep ?? Tensor(shape: [ones.count], values: ones)).withUnsafeBufferPointer { kv in
                                                partial.withUnsafeMutableBufferPointer { part in
                                                    let p = BackwardPointers(
                                                        dz: dzv.baseAddress!, grad: gv.baseAddress!, z: zv.baseAddress!, alpha: av.baseAddress!,
                                                        preactivation: pv.baseAddress!, src: src.baseAddress!, dst: dst.baseAddress!,
                                                        edges: ev.baseAddress!, adjacency: adj.baseAddress!, keep: kv.baseAddress!,
                                                        keepRepeats: s.keep == nil)
                                                    let sendable = UnsafeSendable((p, part.baseAddress!))
                                                    Parallel.forEachNumberedChunk(count: g, chunks: workers) { chunk, graphs in
                                                        let (p, partials) = sendable.value
                                                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: n * n * h + max(2 * n * h, n * n * h))
                                                        defer { scratch.deallocate() }
                                                        for graph in graphs {
                                                            backward(graph: graph, m, p, accumulators: partials + chunk * accumulatorSize, scratch: scratch)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var dSource = [Float](repeating: 0, count: d)
        var dDestination = [Float](repeating: 0, count: d)
        var dEdge = [Float](repeating: 0, count: h * e)
        for chunk in 0..<workers {
            let base = chunk * accumulatorSize
            for q in 0..<d {
                dSource[q] += partial[base + q]
                dDestination[q] += partial[base + d + q]
            }
            for q in 0..<(h * e) { dEdge[q] += partial[base + 2 * d + q] }
        }
        return [dz, Tensor(shape: [h, dh], values: dSource), Tensor(shape: [h, dh], values: dDestination),
                Tensor(shape: [h, e], values: dEdge)]
    }

    struct BackwardPointers {
        let dz: UnsafeMutablePointer<Float>
        let grad, z, alpha, preactivation, src, dst, edges, adjacency, keep: UnsafePointer<Float>
        /// True when `keep` holds one graph's worth of ones (no dropout) rather than all graphs.
        let keepRepeats: Bool
    }

    /// The backward pass of one graph. `accumulators` receives d att_src, d att_dst and d att_edge;
    /// `scratch` holds n·n·h score gradients, then room for max(2·n·h, n·n·h) values.
    @inline(__always)
    static func backward(graph: Int, _ m: Dimensions, _ p: BackwardPointers, accumulators acc: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>) {
        let (n, h, dh, e, d) = (m.n, m.h, m.dh, m.e, m.d)
        let dScore = scratch
        let dNode = scratch + n * n * h
        let alpha = p.alpha + graph * n * n * h
        let pre = p.preactivation + graph * n * n * h
        let keep = p.keepRepeats ? p.keep : p.keep + graph * n * n * h
        let adjacency = p.adjacency + graph * n * n
        let edges = p.edges + graph * n * n * e
        let zg = p.z + graph * n * d
        let gg = p.grad + graph * n * d
        let dzg = p.dz + graph * n * d
        // Through the weighted sum: dα' = g_i · z_j, and dz_j = Σ_i α'_ij g_i (written first, the
        // node terms add to it below).
        for i in 0..<n {
            for j in 0..<n {
                for k in 0..<h {
                    let at = (i * n + j) * h + k
                    dScore[at] = VectorMath.dot(gg + i * d + k * dh, zg + j * d + k * dh, dh) * keep[at]
                }
            }
        }
        let weighted = dNode  // reused: α'_ij laid out [j][i][k] for the sums over receivers i
        for j in 0..<n {
            for i in 0..<n {
                for k in 0..<h {
                    let at = (i * n + j) * h + k
                    weighted[(j * n + i) * h + k] = alpha[at] * keep[at]
                }
            }
            for k in 0..<h {
                VectorMath.weightedSum(weights: weighted + j * n * h + k, weightStride: h, vectors: gg + k * dh, vectorStride: d,
                                       count: n, length: dh, into: dzg + j * d + k * dh)
            }
        }
        // Through the softmax (blocked senders get no gradient) and the LeakyReLU.
        for x in 0..<(2 * n * h) { dNode[x] = 0 }
        for i in 0..<n {
            for k in 0..<h {
                var dot: Float = 0
                for j in 0..<n { dot += alpha[(i * n + j) * h + k] * dScore[(i * n + j) * h + k] }
                for j in 0..<n {
                    let at = (i * n + j) * h + k
                    guard adjacency[i * n + j] != 0 else { continue }
                    let ds = alpha[at] * (dScore[at] - dot) * (pre[at] > 0 ? 1 : slope)
                    dNode[i * h + k] += ds
                    dNode[(n + j) * h + k] += ds
                    let pairEdges = edges + (i * n + j) * e
                    for q in 0..<e { acc[2 * d + k * e + q] += ds * pairEdges[q] }
                }
            }
        }
        // Through the node terms into z and the attention vectors.
        for node in 0..<n {
            for k in 0..<h {
                let toReceiver = dNode[node * h + k]
                let fromSender = dNode[(n + node) * h + k]
                let (zk, dzk) = (zg + node * d + k * dh, dzg + node * d + k * dh)
                VectorMath.axpy(toReceiver, p.dst + k * dh, dzk, dh)
                VectorMath.axpy(fromSender, p.src + k * dh, dzk, dh)
                VectorMath.axpy(fromSender, zk, acc + k * dh, dh)
                VectorMath.axpy(toReceiver, zk, acc + d + k * dh, dh)
            }
        }
    }
}
