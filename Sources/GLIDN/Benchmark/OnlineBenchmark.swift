import Autograd
import Dispatch
import HOIData
import NN

/// `glidn bench --online S`: the time of each online update of a video of S segments, streamed by
/// `OnlineRecognizer` (state kept between updates), beside what recomputing the whole prefix at
/// each segment would cost (the causal model over segments 0 … s). The workload's model, made
/// causal; each segment is `frames` random frames of its entities.
public enum OnlineBenchmark {
    public struct Result: Sendable {
        /// Per segment (0-based), the median seconds of its update over the repeats.
        public let streaming: [Double]
        /// Per segment, the median seconds of the causal model over segments 0 … s.
        public let recomputing: [Double]
    }

    public static func run(_ workload: BenchmarkWorkload, segments: Int, repeats: Int) throws -> Result {
        var config = workload.config
        config.temporalContext = .causal
        let model = try GLIDNModel(config: config, seed: 0)
        let video = try randomVideo(workload, segments: segments)
        var streaming = [[Double]](repeating: [], count: segments)
        var recomputing = [[Double]](repeating: [], count: segments)
        for round in 0...repeats {  // round 0 warms up
            let recognizer = try OnlineRecognizer(model: model)
            for s in 0..<segments {
                let update = try recognizer.push(try video.segment(s))
                if round > 0 { streaming[s].append(update.seconds) }
            }
            for s in 0..<segments {
                let prefix = try prefix(video, segments: s + 1)
                let began = DispatchTime.now().uptimeNanoseconds
                var context = ForwardContext.evaluation
                _ = withoutGradients { model(prefix, context: &context).logits }
                if round > 0 { recomputing[s].append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9) }
            }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        return Result(streaming: streaming.map(median), recomputing: recomputing.map(median))
    }

    /// A video of `segments` segments of the workload's frames and entities (entity 0 a human,
    /// always visible; the others visible with probability 0.85).
    static func randomVideo(_ w: BenchmarkWorkload, segments: Int) throws -> Clip {
        var g = SeededGenerator(seed: 5)
        let (t, n) = (segments * w.frames, w.entities)
        let (mask, boxes) = BenchmarkWorkload.randomTracks(frames: t, entities: n, generator: &g)
        return try Clip(
            id: "online-bench", frames: t, entities: n, featureSize: w.features,
            features: Tensor.randomNormal([t * n * w.features], generator: &g).values, boxes: boxes, mask: mask,
            categories: (0..<n).map { $0 == 0 ? 0 : g.nextInt(below: w.categories) },
            isHuman: (0..<n).map { $0 == 0 }, labels: .none, segments: segments)
    }

    /// The first `count` segments of a video, as a batch of one clip.
    static func prefix(_ video: Clip, segments count: Int) throws -> Batch {
        let clip = try video.slice(
            frames: 0..<(count * video.framesPerSegment), id: video.id, segments: count, labels: .none)
        return try Batch.collate([clip], labels: [])
    }
}
