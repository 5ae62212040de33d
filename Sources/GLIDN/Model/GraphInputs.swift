import Autograd
import Foundation
import HOIData

/// Everything about a batch's graphs that does not depend on weights: box geometry,
/// edge features, adjacency and masks (docs/MODEL.md, "Geometry", "Local context graphs",
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

    /// φ(b) = [x1, y1, x2, y2, cx, cy, w, h].
    public static let nodeGeometrySize = 8
    /// e_ij = [Δcx, Δcy, ln(w_j/w_i), ln(h_j/h_i), IoU].
    public static let localEdgeSize = 5
    /// The mean e_ij, the co-occurrence ratio and the mean relative time of co-occurrence.
    public static let globalEdgeSize = localEdgeSize + 2
    /// A box is (x1, y1, x2, y2).
    public static let boxSize = 4
    /// Widths and heights are clamped to at least this for φ and the logarithms.
    public static let minimumSide: Float = 0.01
    /// IoU divides by at least this union.
    public static let minimumUnion: Float = 1e-6
    /// Per entity and frame, what every pair's edge reads: cx, cy, ln w, ln h, raw area.
    static let entityTerms = 5
    /// Where the global edge keeps the co-occurrence ratio and the mean relative time.
    static let cooccurrenceSlot = localEdgeSize, timeSlot = localEdgeSize + 1

    public init(batch: Batch, localEdgeMode: LocalEdgeMode) {
        let (b, t, n) = (batch.size, batch.frames, batch.entities)
        let frames = b * t
        let human = batch.isHuman.values
        let frameCounts = batch.frameCounts
        var geometry = Tensor.uninitialized([b, t, n, Self.nodeGeometrySize])
        var edges = Tensor.uninitialized([frames, n, n, Self.localEdgeSize])
        var adjacency = Tensor.uninitialized([frames, n, n])
        batch.boxes.withUnsafeBufferPointer { boxes in
            batch.mask.withUnsafeBufferPointer { mask in
                geometry.withUnsafeMutableBufferPointer { g in
                    edges.withUnsafeMutableBufferPointer { e in
                        adjacency.withUnsafeMutableBufferPointer { a in
                            human.withUnsafeBufferPointer { hp in
                                let p = UnsafeSendable((boxes.baseAddress!, mask.baseAddress!, g.baseAddress!, e.baseAddress!, a.baseAddress!,
                                                        hp.baseAddress!))
                                let humanObject = localEdgeMode == .humanObject
                                Parallel.forEachChunk(count: frames, minimumChunk: 64) { range in
                                    let (bp, mp, gp, ep, ap, isHuman) = p.value
                                    for f in range {
                                        Self.frame(f, entities: n, boxes: bp, geometry: gp, edges: ep)
                                        // Indices below stay within the [frames, n, n] and [b, n] shapes: wrapping arithmetic.
                                        let (frameMask, frameAdjacency, clipHuman) = (mp + f &* n, ap + f &* n &* n, isHuman + (f / t) &* n)
                                        for i in 0..<n {
                                            for j in 0..<n {
                                                let blocked = humanObject && i != j && clipHuman[i] == clipHuman[j]
                                                frameAdjacency[i &* n &+ j] = blocked ? 0 : frameMask[i] * frameMask[j]
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
        globalEdges = Tensor(shape: [b, n, n, Self.globalEdgeSize]) { out in
            edges.withUnsafeBufferPointer { e in
                batch.mask.withUnsafeBufferPointer { m in
                    let p = UnsafeSendable((out.baseAddress!, e.baseAddress!, m.baseAddress!))
                    Parallel.forEachChunk(count: b, minimumChunk: 2) { clips in
                        let (o, ep, mp) = p.value
                        for c in clips {
                            Self.clipEdges(c, frames: t, entities: n, clipFrames: frameCounts[c], mask: mp, frameEdges: ep, out: o)
                        }
                    }
                }
            }
        }
    }

    /// φ and e_ij of one frame. e_ij = [cx_j - cx_i, cy_j - cy_i, ln(w_j/w_i), ln(h_j/h_i),
    /// IoU(b_i, b_j)], with widths clamped at 0.01 for φ and the logarithms, raw areas for IoU.
    /// Per-entity terms come first (the log ratios as differences of per-entity logarithms:
    /// n logarithms per frame instead of n², equal up to rounding), then each pair takes
    /// its differences and its intersection with branch-free minima and maxima. Indices
    /// stay within the frame's boxes, geometry and edges, so the arithmetic wraps.
    @inline(__always)
    static func frame(_ f: Int, entities n: Int, boxes: UnsafePointer<Float>, geometry: UnsafeMutablePointer<Float>,
                      edges: UnsafeMutablePointer<Float>) {
        let (boxSize, edgeSize, termCount) = (Self.boxSize, Self.localEdgeSize, Self.entityTerms)
        let boxBytes = MemoryLayout<SIMD4<Float>>.stride  // one box, (x1, y1, x2, y2)
        let frameBoxes = UnsafeRawPointer(boxes + f &* n &* boxSize)
        let frameEdges = edges + f &* n &* n &* edgeSize
        // Per entity: cx, cy, ln w, ln h, raw area.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: termCount &* n) { buffer in
            let terms = buffer.baseAddress!
            for i in 0..<n {
                let box = frameBoxes.loadUnaligned(fromByteOffset: boxBytes &* i, as: SIMD4<Float>.self)
                let center = (box.lowHalf + box.highHalf) / 2
                let size = box.highHalf - box.lowHalf
                let clamped = size.replacing(with: Self.minimumSide, where: size .< Self.minimumSide)
                let g = geometry + Self.nodeGeometrySize &* (f &* n &+ i)
                (g[0], g[1], g[2], g[3]) = (box[0], box[1], box[2], box[3])
                (g[4], g[5], g[6], g[7]) = (center.x, center.y, clamped.x, clamped.y)
                let raw = size.replacing(with: 0, where: size .< 0)
                let t = terms + termCount &* i
                (t[0], t[1], t[2], t[3], t[4]) = (center.x, center.y, Foundation.log(clamped.x), Foundation.log(clamped.y), raw.x * raw.y)
            }
            for i in 0..<n {
                let a = frameBoxes.loadUnaligned(fromByteOffset: boxBytes &* i, as: SIMD4<Float>.self)
                let ti = terms + termCount &* i
                for j in 0..<n {
                    let b = frameBoxes.loadUnaligned(fromByteOffset: boxBytes &* j, as: SIMD4<Float>.self)
                    let tj = terms + termCount &* j
                    let overlap = pointwiseMin(a.highHalf, b.highHalf) - pointwiseMax(a.lowHalf, b.lowHalf)
                    let sides = overlap.replacing(with: 0, where: overlap .< 0)
                    let inter = sides.x * sides.y
                    let union = ti[4] + tj[4] - inter
                    let o = frameEdges + (i &* n &+ j) &* edgeSize
                    o[0] = tj[0] - ti[0]
                    o[1] = tj[1] - ti[1]
                    o[2] = tj[2] - ti[2]
                    o[3] = tj[3] - ti[3]
                    o[4] = inter / (union > Self.minimumUnion ? union : Self.minimumUnion)
                }
            }
        }
    }

    /// The global edges of one clip: the mean frame edge over the frames where both
    /// entities are visible, the co-occurrence ratio and the mean relative time t/(T-1).
    /// One pass over the clip's frames, adding each co-visible pair's edge.
    static func clipEdges(_ c: Int, frames t: Int, entities n: Int, clipFrames: Int, mask: UnsafePointer<Float>,
                          frameEdges e: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let (edgeSize, width) = (localEdgeSize, globalEdgeSize)
        let (ratio, time) = (cooccurrenceSlot, timeSlot)
        let clipOut = out + c &* n &* n &* width
        clipOut.initialize(repeating: 0, count: n &* n &* width)
        for f in 0..<t {
            let frame = c &* t &+ f
            let (frameMask, edges) = (mask + frame &* n, e + frame &* n &* n &* edgeSize)
            let relative: Float = clipFrames > 1 ? Float(f) / Float(clipFrames - 1) : 0
            for i in 0..<n where frameMask[i] != 0 {
                for j in 0..<n where frameMask[j] != 0 {
                    let (src, dst) = (edges + (i &* n &+ j) &* edgeSize, clipOut + (i &* n &+ j) &* width)
                    for q in 0..<edgeSize { dst[q] += src[q] }
                    dst[ratio] += 1  // the count of co-visible frames, for now
                    dst[time] += relative
                }
            }
        }
        for pair in 0..<(n &* n) {
            let dst = clipOut + pair &* width
            let count = dst[ratio]
            guard count > 0 else { continue }
            for q in 0..<edgeSize { dst[q] /= count }
            dst[ratio] = count / Float(clipFrames)
            dst[time] /= count
        }
    }
}
