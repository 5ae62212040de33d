import Autograd
import Foundation
import HOIData

/// Everything about a batch's graphs that does not depend on weights: box geometry,
/// edge features, adjacency and masks (MODEL.md, "Geometry", "Local context graphs",
/// "Global relation graph"). Computed once per batch, outside the tape.
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
        let boxes = batch.boxes.values
        let mask = batch.mask.values
        let human = batch.isHuman.values

        nodeGeometry = Tensor(shape: [b, t, n, 8]) { out in
            for k in 0..<(b * t * n) {
                let (x1, y1, x2, y2) = (boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3])
                let g: [Float] = [x1, y1, x2, y2, (x1 + x2) / 2, (y1 + y2) / 2, max(x2 - x1, 0.01), max(y2 - y1, 0.01)]
                for q in 0..<8 { out[8 * k + q] = g[q] }
            }
        }

        let e = Self.frameEdges(boxes: boxes, frames: b * t, entities: n)
        localEdges = Tensor(shape: [b * t, n, n, 5], values: e)

        localAdjacency = Tensor(shape: [b * t, n, n]) { out in
            for f in 0..<(b * t) {
                let clip = f / t
                for i in 0..<n {
                    for j in 0..<n {
                        var a = mask[f * n + i] * mask[f * n + j]
                        if localEdgeMode == .humanObject && i != j && human[clip * n + i] == human[clip * n + j] { a = 0 }
                        out[(f * n + i) * n + j] = a
                    }
                }
            }
        }
        frameMask = batch.mask.reshaped([b * t, n])

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
            out.initialize(repeating: 0)
            for c in 0..<b {
                let frames = batch.frameCounts[c]
                for i in 0..<n {
                    for j in 0..<n {
                        let dst = ((c * n + i) * n + j) * 7
                        var count = 0
                        var timeSum: Float = 0
                        for f in 0..<t where mask[(c * t + f) * n + i] != 0 && mask[(c * t + f) * n + j] != 0 {
                            let src = (((c * t + f) * n + i) * n + j) * 5
                            for q in 0..<5 { out[dst + q] += e[src + q] }
                            count += 1
                            timeSum += frames > 1 ? Float(f) / Float(frames - 1) : 0
                        }
                        guard count > 0 else { continue }
                        for q in 0..<5 { out[dst + q] /= Float(count) }
                        out[dst + 5] = Float(count) / Float(frames)
                        out[dst + 6] = timeSum / Float(count)
                    }
                }
            }
        }
    }

    /// e_ij = [cx_j - cx_i, cy_j - cy_i, ln(w_j/w_i), ln(h_j/h_i), IoU(b_i, b_j)] for every
    /// frame, with widths clamped at 0.01 for the logarithms and raw areas for IoU.
    static func frameEdges(boxes: [Float], frames: Int, entities n: Int) -> [Float] {
        var e = [Float](repeating: 0, count: frames * n * n * 5)
        for f in 0..<frames {
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
                    let ix = max(0, min(ax2, bx2) - max(ax1, bx1))
                    let iy = max(0, min(ay2, by2) - max(ay1, by1))
                    let inter = ix * iy
                    let o = ((f * n + i) * n + j) * 5
                    e[o] = (bx1 + bx2) / 2 - (ax1 + ax2) / 2
                    e[o + 1] = (by1 + by2) / 2 - (ay1 + ay2) / 2
                    e[o + 2] = Foundation.log(bw / aw)
                    e[o + 3] = Foundation.log(bh / ah)
                    e[o + 4] = inter / max(areaA + areaB - inter, 1e-6)
                }
            }
        }
        return e
    }
}
