import Autograd
import Foundation
import HOIData
import NN

/// Online recognition of a video as it plays (`glidn predict --online`): each segment's labels
/// as soon as its frames arrive, from a causal model (`temporal_context` `causal`: online
/// detection, anticipation).
///
/// What a segment's nodes compute depends on earlier segments only through the global graph's
/// layers, whose old nodes never hear new ones. So the recognizer keeps, per global layer, what
/// the layer needs of every node so far (`SenderMemory`: its input state, the attention layer's
/// projection of it); a new segment runs the encoder and the local graphs on its
/// own frames, pools them into its nodes, and updates only those nodes in each layer
/// (`GraphLayer.receivers`), hearing the kept senders. An update costs the new frames plus
/// R · M attention scores (R new nodes, M nodes so far), never the whole prefix again. The
/// predictions equal the whole-video model's for the same segments (tested).
public final class OnlineRecognizer {
    public let model: GLIDNModel
    /// Per global layer, what it keeps of every node so far (its input states, its projections).
    private let layerMemories: [SenderMemory]
    /// Per node so far, 1 where its entity is visible in its segment.
    private var visible: [Float] = []
    public private(set) var segments = 0
    private var entities: Int?

    /// What one update predicts: the segment's logits per label group ([1, N, C] node rows) and
    /// the time the update took.
    public struct Update {
        public let segment: Int
        public let logits: BranchLogits
        public let seconds: Double
    }

    public init(model: GLIDNModel) throws(ConfigError) {
        guard model.config.temporalContext == .causal else {
            throw ConfigError(
                source: "predict --online",
                problem:
                    "the checkpoint's global graph spans \(model.config.temporalContext == .video ? "the whole video (it sees segments to come)" : "one clip"): online prediction needs a causal model (train with --task online or anticipation)"
            )
        }
        self.model = model
        layerMemories = (model.globalGraph?.layers.layers ?? []).map { _ in SenderMemory() }
    }

    /// The next segment: a one-segment clip (k frames of the video's N entities, in the model's
    /// features). Its nodes' logits.
    public func push(_ segment: Clip) throws -> Update {
        let began = DispatchTime.now().uptimeNanoseconds
        guard segment.segments == 1 else {
            throw BatchError("an online update takes one segment at a time, got a clip of \(segment.segments)")
        }
        if let entities, entities != segment.entities {
            throw BatchError("segment \(segments) has \(segment.entities) entities, the video so far \(entities)")
        }
        entities = segment.entities
        let batch = try Batch.collate([segment], labels: [])
        try model.check(batch)
        let logits = withoutGradients { predict(batch) }
        segments += 1
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return Update(segment: segments - 1, logits: logits, seconds: seconds)
    }

    private func predict(_ batch: Batch) -> BranchLogits {
        let config = model.config
        let n = batch.entities
        let graphs = GraphInputs(batch: batch, localEdgeMode: config.localEdges, temporalContext: .causal)
        var context = ForwardContext.evaluation
        let encoded = model.encoder(batch, graphs: graphs, context: &context)
        let mask = graphs.entityMask  // [1, N]
        let humans = batch.isHuman * mask
        var local: BranchLogits?
        if config.variant.uses(.local) {
            var states = encoded
            if let localGraphs = model.localGraphs {
                states = localGraphs(encoded, graphs: graphs, context: &context).0
            }
            let summary = MaskedPooling.meanPerSegment(states, mask: batch.mask, segments: 1)
            local = model.heads.logits(.local, summaries: summary, entityMask: mask, humanMask: humans, segments: 1)
        }
        var global: BranchLogits?
        if let graph = model.globalGraph {
            let pooled = MaskedPooling.meanAndMaxPerSegment(encoded, mask: batch.mask, segments: 1)
            var h = graph.input(pooled).reluMasked(rows: mask)
            let (adjacency, edges) = senderGraph(graphs, entities: n)
            for (layer, memory) in zip(graph.layers.layers, layerMemories) {
                h = layer.receivers(h, joining: memory, adjacency: adjacency, edges: edges, mask: mask)
            }
            global = model.heads.logits(.global, summaries: h, entityMask: mask, humanMask: humans, segments: 1)
        }
        visible += mask.values
        return BranchLogits.prediction(local: local, global: global, localWeight: config.fusionWeight)
    }

    /// The new segment's receivers against every node so far and its own: adjacency [1, N, M]
    /// and the video's edge features [1, N, M, E] (within the segment from its own frames;
    /// across segments only the offset and same-entity values).
    private func senderGraph(_ graphs: GraphInputs, entities n: Int) -> (Tensor, Tensor) {
        let s = segments
        let m = (s + 1) * n
        let width = GraphInputs.videoGlobalEdgeSize
        let mine = graphs.entityMask.values
        let senders = visible + mine
        var adjacency = [Float](repeating: 0, count: n * m)
        var edges = [Float](repeating: 0, count: n * m * width)
        let own = graphs.globalEdges.values  // [1, N, N, width]
        edges.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                for j in 0..<m {
                    adjacency[i * m + j] = mine[i] * senders[j]
                    let at = (i * m + j) * width
                    if j >= s * n {
                        let source = (i * n + (j - s * n)) * width
                        for q in 0..<width { out[at + q] = own[source + q] }
                    } else {
                        GraphInputs.writePairFlags(
                            offset: j / n - s, sameEntity: j % n == i,
                            to: out.baseAddress! + at + GraphInputs.globalEdgeSize)
                    }
                }
            }
        }
        return (Tensor(shape: [1, n, m], values: adjacency), Tensor(shape: [1, n, m, width], values: edges))
    }
}
