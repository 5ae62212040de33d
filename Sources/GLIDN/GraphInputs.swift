import Autograd
import Foundation
import HOIData

/// Everything about a batch's graphs that does not depend on weights: box geometry,
/// edge features, adjacency and masks (MODEL.md, "Geometry", "Local context graphs",
/// "Global relation graph"). Computed once per batch, outside the tape, frames and
/// clips split over the cores.
public struct GraphInputs {
    /// φ(b) per entity and frame [B, T, N, 8].
    public let nodeGeometry: Tensor
    /// e_ij per frame [B·T, N, N, 5], receiver i, sender j.
    public let localEdges: Tensor
    /// [B·T, N, N], 1 where sender j reaches receiver i in that frame.
    public let localAdjacency: Tensor
    /// [B·T, N]
    public let frameMask: Tensor
    /// em [B, N]: visible in at least one frame.
    public let entityMask: Tensor
    /// [B, N, N, 7]: mean frame edge, co-occurrence ratio, mean relative time of co-occurrence.
    public let globalEdges: Tensor
    /// [B, N, N], em_i · em_j.
    public let globalAdjacency: Tensor

    public static let nodeGeometrySize = 8
    public static let localEdgeSize = 5
    public static let globalEdgeSize = 7

    public init(batch: Batch, localEdgeMode: LocalEdgeMode) {
        let (b, t, n) = (batch.size, batch.frames, batch.entities)
        let frames = b * t
        let human = batch.isHuman.values
        let frameCounts = batch.frameCounts
        var geometry = Tensor.uninitialized([b, t, n, 8])
        var edges = Tensor.uninitialized([frames, n, n, 5])
        var adjacency = Tensor.uninitialized([frames, n, n])
        batch.boxes.withUnsafeBufferPointer { boxes in
            batch.mask.withUnsafeBufferPointer { mask in
                geometry.withUnsafeMutableBufferPointer { g in
                    edges.withUnsafeMutableBufferPointer { e in
                        adjacency.withUnsafeMutableBufferPointer { a in
                            let p = UnsafeSendable((boxes.baseAddress!, mask.baseAddress!, g.baseAddress!, e.baseAddress!, a.baseAddress!))
                            Parallel.forEachChunk(count: frames, minimumChunk: 64) { range in
                                let (bp, mp, gp, ep, ap) = p.value
                                for f in range {
                                    Self.frame(f, entities: n, boxes: bp, geometry: gp, edges: ep)
                                    let clip = f / t
                                    for i in 0..<n {
                                        for j in 0..<n {
                                            var v = mp[f * n + i] * mp[f * n + j]
                                            if localEdgeMode == .humanObject && i != j && human[clip * n + i] == human[clip * n + j] { v = 0 }
                                            ap[(f * n + i) * n + j] = v
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        nodeGeometry = geometry
        localEdges = edges
        localAdjacency = adjacency
        frameMask = batch.mask.reshaped([frames, n])

        let mask = batch.mask.values
        var em = [Float](repeating: 0, count: b * n)
        for c in 0..<b {
            for f in 0..<t {
                for i in 0..<n where mask[(c * t + f) * n + i] != 0 { em[c * n + i] = 1 }
            }
        }
        entityMask = Tensor(shape: [b, n], values: em)
        globalAdjacency = Tensor(shape: [b, n, n]) { out in
            for c in 0..<b {
                for i in 0..<n {
                    for j in 0..<n { out[(c * n + i) * n + j] = em[c * n + i] * em[c * n + j] }
                }
            }
        }
        globalEdges = Tensor(shape: [b, n, n, 7]) { out in
            edges.withUnsafeBufferPointer { e in
                let p = UnsafeSendable((out.baseAddress!, e.baseAddress!))
                Parallel.forEachChunk(count: b, minimumChunk: 2) { clips in
                    let (o, ep) = p.value
                    for c in clips {
                        Self.clipEdges(c, frames: t, entities: n, clipFrames: frameCounts[c], mask: mask, frameEdges: ep, out: o)
                    }
                }
            }
        }
    }

    /// φ and e_ij of one frame. e_ij = [cx_j - cx_i, cy_j - cy_i, ln(w_j/w_i), ln(h_j/h_i),
    /// IoU(b_i, b_j)], with widths clamped at 0.01 for φ and the logarithms, raw areas for IoU.
    @inline(__always)
    static func frame(_ f: Int, entities n: Int, boxes: UnsafePointer<Float>, geometry: UnsafeMutablePointer<Float>,
                      edges: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            let k = f * n + i
            let (x1, y1, x2, y2) = (boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3])
            let g = geometry + 8 * k
            (g[0], g[1], g[2], g[3]) = (x1, y1, x2, y2)
            (g[4], g[5], g[6], g[7]) = ((x1 + x2) / 2, (y1 + y2) / 2, max(x2 - x1, 0.01), max(y2 - y1, 0.01))
        }
        for i in 0..<n {
            let bi = (f * n + i) * 4
            let (ax1, ay1, ax2, ay2) = (boxes[bi], boxes[bi + 1], boxes[bi + 2], boxes[bi + 3])
            let (aw, ah) = (max(ax2 - ax1, 0.01), max(ay2 - ay1, 0.01))
            let areaA = max(0, ax2 - ax1) * max(0, ay2 - ay1)
            for j in 0..<n {
                let bj = (f * n + j) * 4
                let (bx1, by1, bx2, by2) = (boxes[bj], boxes[bj + 1], boxes[bj + 2], boxes[bj + 3])
                let (bw, bh) = (max(bx2 - bx1, 0.01), max(by2 - by1, 0.01))
                let areaB = max(0, bx2 - bx1) * max(0, by2 - by1)
                let inter = max(0, min(ax2, bx2) - max(ax1, bx1)) * max(0, min(ay2, by2) - max(ay1, by1))
                let o = edges + ((f * n + i) * n + j) * 5
                o[0] = (bx1 + bx2) / 2 - (ax1 + ax2) / 2
                o[1] = (by1 + by2) / 2 - (ay1 + ay2) / 2
                o[2] = Foundation.log(bw / aw)
                o[3] = Foundation.log(bh / ah)
                o[4] = inter / max(areaA + areaB - inter, 1e-6)
            }
        }
    }

    /// The global edges of one clip: the mean frame edge over the frames where both
    /// entities are visible, the co-occurrence ratio and the mean relative time t/(T-1).
    static func clipEdges(_ c: Int, frames t: Int, entities n: Int, clipFrames: Int, mask: [Float],
                          frameEdges e: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            for j in 0..<n {
                let dst = out + ((c * n + i) * n + j) * 7
                for q in 0..<7 { dst[q] = 0 }
                var count = 0
                var timeSum: Float = 0
                for f in 0..<t where mask[(c * t + f) * n + i] != 0 && mask[(c * t + f) * n + j] != 0 {
                    let src = e + (((c * t + f) * n + i) * n + j) * 5
                    for q in 0..<5 { dst[q] += src[q] }
                    count += 1
                    timeSum += clipFrames > 1 ? Float(f) / Float(clipFrames - 1) : 0
                }
                guard count > 0 else { continue }
                for q in 0..<5 { dst[q] /= Float(count) }
                dst[5] = Float(count) / Float(clipFrames)
                dst[6] = timeSum / Float(count)
            }
        }
    }
}
