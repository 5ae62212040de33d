import Autograd
import HOIData

/// The speed workloads of docs/BENCHMARKS.md: the model, the optimizer and random inputs of
/// the two data sets' sizes.
public struct BenchmarkWorkload: Sendable {
    public enum Name: String, CaseIterable, Sendable { case cad120, charades }

    public let name: Name
    public var batch: Int
    public var frames: Int
    public var entities: Int
    public let features: Int
    public let categories: Int
    public let hidden: Int
    public let heads: Int

    public static func named(_ name: Name) -> BenchmarkWorkload {
        switch name {
        case .cad120:
            BenchmarkWorkload(
                name: name, batch: 16, frames: 20, entities: 6, features: 64, categories: 11, hidden: 128, heads: 4)
        case .charades:
            BenchmarkWorkload(
                name: name, batch: 16, frames: 32, entities: 8, features: 2048, categories: 37, hidden: 256, heads: 4)
        }
    }

    public var config: ModelConfig {
        let entity = name == .cad120
        return ModelConfig(
            features: features, categories: categories, task: entity ? .entity : .video, classes: entity ? nil : 157,
            subactivities: entity ? 10 : nil, affordances: entity ? 12 : nil
        ).with {
            ($0.hidden, $0.heads, $0.localLayers, $0.globalLayers) = (hidden, heads, 2, 2)
            ($0.tau, $0.lambdaKD, $0.lambdaFeat, $0.distill) = (2, 0.5, 0.1, MutualDistillation.name)
            ($0.localEdges, $0.dropout, $0.attentionDropout) = (.full, 0.1, 0.1)
        }
    }

    public var training: TrainingOptions {
        var o = TrainingOptions()
        o.learningRate = 1e-3
        o.weightDecay = 1e-4
        o.clipNorm = 5
        o.schedule = .constant
        o.batchSize = batch
        return o
    }

    /// Visibility [frames · N] and boxes [frames · N · 4] of random tracks: entity 0 (a human)
    /// always visible, the others with probability 0.85; random boxes. The mask is drawn first.
    static func randomTracks(frames: Int, entities n: Int, generator g: inout SeededGenerator) -> (
        mask: [Float], boxes: [Float]
    ) {
        let mask = (0..<(frames * n)).map { i in i % n == 0 || g.nextFloat() < 0.85 ? Float(1) : 0 }
        let boxes = (0..<(frames * n)).flatMap { _ -> [Float] in
            let (x, y) = (g.uniform(0, 0.7), g.uniform(0, 0.7))
            return [x, y, x + g.uniform(0.02, 0.32), y + g.uniform(0.02, 0.32)]
        }
        return (mask, boxes)
    }

    /// Random inputs: each entity visible with probability 0.85 (entity 0, a human,
    /// always), random boxes, random labels (5 % positives for the video task).
    public func randomBatch(seed: UInt64) -> Batch {
        var g = SeededGenerator(seed: seed)
        let (b, t, n) = (batch, frames, entities)
        let (mask, boxes) = Self.randomTracks(frames: b * t, entities: n, generator: &g)
        let categories = (0..<(b * n)).map { $0 % n == 0 ? 0 : g.nextInt(below: self.categories) }
        let human = (0..<(b * n)).map { Float($0 % n == 0 ? 1 : 0) }
        let targets: Targets
        if name == .cad120 {
            targets = .entity(
                human: (0..<(b * n)).map { $0 % n == 0 ? g.nextInt(below: 10) : -1 },
                object: (0..<(b * n)).map { $0 % n == 0 ? -1 : g.nextInt(below: 12) })
        } else {
            targets = .video(
                Tensor(shape: [b, 157]) { out in
                    for i in 0..<out.count { out[i] = g.nextFloat() < 0.05 ? 1 : 0 }
                })
        }
        do {
            return try Batch(
                clipIDs: (0..<b).map { "bench\($0)" }, features: .randomNormal([b, t, n, features], generator: &g),
                boxes: Tensor(shape: [b, t, n, 4], values: boxes), mask: Tensor(shape: [b, t, n], values: mask),
                categories: categories, isHuman: Tensor(shape: [b, n], values: human), targets: targets)
        } catch {
            fatalError("internal: the benchmark batch is malformed: \(error)")
        }
    }
}
