import Autograd
import Foundation
import GLIDN
import HOIData
import Testing

/// GraphInputs against MODEL.md's "Geometry", "Local context graphs" and "Global relation
/// graph" written out literally, one value at a time.
@Suite("Graph inputs: geometry, edges and adjacency")
struct GraphInputsTests {
    /// Two clips, 5 frames (the second clip has 3 before padding), 4 entities; among the
    /// boxes: all-zero (a missing detection), inverted (x2 < x1) and thinner than 0.01.
    static func batch() throws -> Batch {
        let (b, t, n) = (2, 5, 4)
        var g = SeededGenerator(seed: 31)
        var boxes: [Float] = []
        for _ in 0..<(b * t * n) {
            let (x, y) = (g.uniform(0, 0.8), g.uniform(0, 0.8))
            boxes += [x, y, x + g.uniform(0, 0.3), y + g.uniform(0.002, 0.3)]
        }
        boxes.replaceSubrange(4..<8, with: [0, 0, 0, 0])
        boxes.replaceSubrange(8..<12, with: [0.6, 0.2, 0.5, 0.4])
        boxes.replaceSubrange(12..<16, with: [0.3, 0.3, 0.305, 0.9])
        var mask = (0..<(b * t * n)).map { _ in g.nextFloat() < 0.7 ? Float(1) : 0 }
        for f in 0..<(b * t) { mask[f * n] = 1 }
        for f in 3..<5 { for i in 0..<n { mask[(t + f) * n + i] = 0 } }  // clip 1's padding
        return try Batch(
            clipIDs: ["a", "b"], features: .zeros([b, t, n, 1]), boxes: Tensor(shape: [b, t, n, 4], values: boxes),
            mask: Tensor(shape: [b, t, n], values: mask), categories: [0, 1, 2, 1, 0, 2, 2, 1],
            isHuman: Tensor(shape: [b, n], values: [1, 0, 0, 1, 1, 0, 0, 0]), targets: nil, frameCounts: [5, 3])
    }

    static func edge(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> [Float] {
        let (a, b) = (Array(a), Array(b))
        let (wa, ha) = (max(a[2] - a[0], 0.01), max(a[3] - a[1], 0.01))
        let (wb, hb) = (max(b[2] - b[0], 0.01), max(b[3] - b[1], 0.01))
        let inter = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
        let areaA = max(0, a[2] - a[0]) * max(0, a[3] - a[1])
        let areaB = max(0, b[2] - b[0]) * max(0, b[3] - b[1])
        return [
            (b[0] + b[2]) / 2 - (a[0] + a[2]) / 2, (b[1] + b[3]) / 2 - (a[1] + a[3]) / 2,
            log(wb / wa), log(hb / ha), inter / max(areaA + areaB - inter, 1e-6),
        ]
    }

    @Test("node geometry, frame edges and adjacency follow MODEL.md", arguments: [LocalEdgeMode.full, .humanObject])
    func local(mode: LocalEdgeMode) throws {
        let batch = try Self.batch()
        let graphs = GraphInputs(batch: batch, localEdgeMode: mode)
        let (boxes, mask, human) = (batch.boxes.values, batch.mask.values, batch.isHuman.values)
        let (t, n) = (5, 4)
        for f in 0..<10 {
            for i in 0..<n {
                let a = boxes[((f * n + i) * 4)..<((f * n + i) * 4 + 4)]
                let (x1, y1, x2, y2) = (a[a.startIndex], a[a.startIndex + 1], a[a.startIndex + 2], a[a.startIndex + 3])
                let phi: [Float] = [
                    x1, y1, x2, y2, (x1 + x2) / 2, (y1 + y2) / 2, max(x2 - x1, 0.01), max(y2 - y1, 0.01),
                ]
                for q in 0..<8 { #expect(abs(graphs.nodeGeometry.values[(f * n + i) * 8 + q] - phi[q]) < 1e-6) }
                for j in 0..<n {
                    let b = boxes[((f * n + j) * 4)..<((f * n + j) * 4 + 4)]
                    let expected = Self.edge(a, b)
                    for q in 0..<5 {
                        let got = graphs.localEdges.values[((f * n + i) * n + j) * 5 + q]
                        #expect(
                            abs(got - expected[q]) < 1e-5,
                            "frame \(f) edge \(i)→\(j) feature \(q): \(got) vs \(expected[q])")
                    }
                    let clip = f / t
                    var allowed = mask[f * n + i] * mask[f * n + j]
                    if mode == .humanObject && i != j && human[clip * n + i] == human[clip * n + j] { allowed = 0 }
                    #expect(graphs.localAdjacency.values[(f * n + i) * n + j] == allowed)
                }
            }
        }
    }

    @Test("global edges: mean co-visible edge, co-occurrence ratio and mean relative time over the clip's own frames")
    func global() throws {
        let batch = try Self.batch()
        let graphs = GraphInputs(batch: batch, localEdgeMode: .full)
        let (mask, local) = (batch.mask.values, graphs.localEdges.values)
        let (t, n) = (5, 4)
        for c in 0..<2 {
            let frames = batch.frameCounts[c]
            for i in 0..<n {
                for j in 0..<n {
                    var sum = [Float](repeating: 0, count: 5)
                    var (count, time): (Float, Float) = (0, 0)
                    for f in 0..<t where mask[(c * t + f) * n + i] != 0 && mask[(c * t + f) * n + j] != 0 {
                        for q in 0..<5 { sum[q] += local[(((c * t + f) * n + i) * n + j) * 5 + q] }
                        count += 1
                        time += Float(f) / Float(frames - 1)
                    }
                    let expected =
                        count == 0
                        ? [Float](repeating: 0, count: 7)
                        : sum.map { $0 / count } + [count / Float(frames), time / count]
                    for q in 0..<7 {
                        let got = graphs.globalEdges.values[((c * n + i) * n + j) * 7 + q]
                        #expect(
                            abs(got - expected[q]) < 1e-5,
                            "clip \(c) edge \(i)→\(j) feature \(q): \(got) vs \(expected[q])")
                    }
                    let em = { (k: Int) in (0..<t).contains { mask[(c * t + $0) * n + k] != 0 } ? Float(1) : 0 }
                    #expect(graphs.globalAdjacency.values[(c * n + i) * n + j] == em(i) * em(j))
                }
            }
        }
    }
}
