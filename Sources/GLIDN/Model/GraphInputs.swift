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
    /// em [B, S·N]: the global graph's nodes, one per (segment, entity), 1 where the entity
    /// is visible in at least one frame of the segment ([B, N] for one-segment clips).
    public let entityMask: Tensor
    /// [B, S·N, S·N, E]: within a segment, the mean frame edge, co-occurrence ratio and mean
    /// relative time of co-occurrence; across the video (`video`, `causal`), also the
    /// segment offset and whether the two nodes are one entity.
    public let globalEdges: Tensor
    /// [B, S·N, S·N]: em_i · em_j, and for `causal` only senders of the receiver's segment or earlier.
    public let globalAdjacency: Tensor
    /// S, the segments per clip of the batch.
    public let segments: Int

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
    /// Across a video of segments the global edge adds, after the 7 within-segment values:
    /// the segment offset δ = (sender's segment - receiver's) / `segmentOffsetScale`, a
    /// same-entity flag, and one-hot flags for δ = -2, -1, 0, +1, +2, δ ≤ -3 and δ ≥ +3. The
    /// flags let an attention head single out "the previous segment" or "the same entity next
    /// time": a score linear in δ alone could only prefer near or far.
    public static let videoGlobalEdgeSize = globalEdgeSize + 2 + offsetFlags.count + 2
    static let segmentOffsetScale: Float = 10
    static let offsetFlags = [-2, -1, 0, 1, 2]

    /// The global edge width for a temporal context.
    public static func globalEdgeSize(_ context: TemporalContext) -> Int {
        context == .clip ? globalEdgeSize : videoGlobalEdgeSize
    }

    public init(batch: Batch, localEdgeMode: LocalEdgeMode, temporalContext context: TemporalContext = .clip) {
        let (b, t, n) = (batch.size, batch.frames, batch.entities)
        let (segmentCount, k) = (batch.segments, batch.framesPerSegment)
        let nodes = segmentCount * n
        let frames = b * t
        let frameCounts = batch.frameCounts
        let geometry = Tensor.uninitialized([b, t, n, Self.nodeGeometrySize])
        let edges = Tensor.uninitialized([frames, n, n, Self.localEdgeSize])
        let adjacency = Tensor.uninitialized([frames, n, n])
        Tensor.withAddresses([batch.boxes, batch.mask, geometry, edges, adjacency, batch.isHuman]) { addresses in
            let p = UnsafeSendable(addresses)
            let humanObject = localEdgeMode == .humanObject
            Parallel.forEachChunk(count: frames, minimumChunk: 64) { range in
                let (bp, mp, gp, ep, ap, isHuman) = (
                    p.value[0], p.value[1], p.value[2], p.value[3], p.value[4], p.value[5]
                )
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
        nodeGeometry = geometry
        localEdges = edges
        localAdjacency = adjacency
        frameMask = batch.mask.reshaped([frames, n])

        segments = segmentCount
        // Node (segment s, entity i) of clip c is row (c · S + s) · N + i.
        let mask = batch.mask.values
        var em = [Float](repeating: 0, count: b * nodes)
        for c in 0..<b {
            for f in 0..<t {
                let node = (c * segmentCount + f / k) * n
                for i in 0..<n where mask[(c * t + f) * n + i] != 0 { em[node + i] = 1 }
            }
        }
        entityMask = Tensor(shape: [b, nodes], values: em)
        globalAdjacency = Tensor(shape: [b, nodes, nodes]) { out in
            for c in 0..<b {
                for i in 0..<nodes {
                    for j in 0..<nodes {
                        let heard: Float = context == .causal && j / n > i / n ? 0 : 1
                        out[(c * nodes + i) * nodes + j] = em[c * nodes + i] * em[c * nodes + j] * heard
                    }
                }
            }
        }
        let width = Self.globalEdgeSize(context)
        globalEdges = Tensor(shape: [b, nodes, nodes, width]) { out in
            edges.withUnsafeBufferPointer { e in
                batch.mask.withUnsafeBufferPointer { m in
                    let p = UnsafeSendable((out.baseAddress!, e.baseAddress!, m.baseAddress!))
                    Parallel.forEachChunk(count: b, minimumChunk: 2) { clips in
                        let (o, ep, mp) = p.value
                        for c in clips {
                            Self.clipEdges(
                                c, segments: segmentCount, framesPerSegment: k, entities: n,
                                segmentFrames: frameCounts[c],
                                width: width, mask: mp, frameEdges: ep, out: o)
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
    static func frame(
        _ f: Int, entities n: Int, boxes: UnsafePointer<Float>, geometry: UnsafeMutablePointer<Float>,
        edges: UnsafeMutablePointer<Float>
    ) {
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
                (t[0], t[1], t[2], t[3], t[4]) = (
                    center.x, center.y, Foundation.log(clamped.x), Foundation.log(clamped.y), raw.x * raw.y
                )
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

    /// The global edges of one clip, between its (segment, entity) nodes. Within a segment:
    /// the mean frame edge over the frames where both entities are visible, the co-occurrence
    /// ratio (those frames / the segment's real frames) and the mean relative time t/(k-1) of
    /// those frames; 0 across segments. With `width` = `videoGlobalEdgeSize`, every pair also
    /// gets the segment offset and the same-entity flag. One pass over the clip's frames,
    /// adding each co-visible pair's edge.
    static func clipEdges(
        _ c: Int, segments: Int, framesPerSegment k: Int, entities n: Int, segmentFrames: Int, width: Int,
        mask: UnsafePointer<Float>, frameEdges e: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let edgeSize = localEdgeSize
        let (ratio, time) = (cooccurrenceSlot, timeSlot)
        let nodes = segments &* n
        let clipOut = out + c &* nodes &* nodes &* width
        clipOut.initialize(repeating: 0, count: nodes &* nodes &* width)
        for s in 0..<segments {
            for f in 0..<k {
                let frame = (c &* segments &+ s) &* k &+ f
                let (frameMask, edges) = (mask + frame &* n, e + frame &* n &* n &* edgeSize)
                let relative: Float = segmentFrames > 1 ? Float(f) / Float(segmentFrames - 1) : 0
                let first = s &* n  // the segment's first node
                for i in 0..<n where frameMask[i] != 0 {
                    for j in 0..<n where frameMask[j] != 0 {
                        let (src, dst) = (
                            edges + (i &* n &+ j) &* edgeSize, clipOut + ((first &+ i) &* nodes &+ first &+ j) &* width
                        )
                        for q in 0..<edgeSize { dst[q] += src[q] }
                        dst[ratio] += 1  // the count of co-visible frames, for now
                        dst[time] += relative
                    }
                }
            }
        }
        for pair in 0..<(nodes &* nodes) {
            let dst = clipOut + pair &* width
            let count = dst[ratio]
            guard count > 0 else { continue }
            for q in 0..<edgeSize { dst[q] /= count }
            dst[ratio] = count / Float(segmentFrames)
            dst[time] /= count
        }
        guard width > globalEdgeSize else { return }
        for i in 0..<nodes {
            for j in 0..<nodes {
                writePairFlags(
                    offset: j / n - i / n, sameEntity: i % n == j % n,
                    to: clipOut + (i &* nodes &+ j) &* width + globalEdgeSize)
            }
        }
    }

    /// The values a pair of nodes of a video gets after the 7 within-segment ones: the segment
    /// offset (sender's segment - receiver's) scaled, the same-entity flag and the offset flags.
    static func writePairFlags(offset: Int, sameEntity: Bool, to dst: UnsafeMutablePointer<Float>) {
        let flags = offsetFlags
        dst[0] = Float(offset) / segmentOffsetScale
        dst[1] = sameEntity ? 1 : 0
        for (q, flag) in flags.enumerated() { dst[2 + q] = offset == flag ? 1 : 0 }
        dst[2 + flags.count] = offset < flags[0] ? 1 : 0
        dst[3 + flags.count] = offset > flags[flags.count - 1] ? 1 : 0
    }
}
