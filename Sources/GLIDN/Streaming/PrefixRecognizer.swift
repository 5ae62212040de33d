import Autograd
import Foundation
import HOIData
import NN

/// Online recognition of a one-segment clip as its frames arrive (`glidn predict --online` on a
/// model of `temporal_context` `clip`, e.g. the synthetic benchmark's `--task online`): after
/// each window of frames, the clip's labels from the frames so far.
///
/// Everything the model reads from the frames is a running statistic: each entity's mean (and
/// maximum) of the encoder's and the local graphs' states over the frames it is visible in, and
/// each pair's summed frame edges, co-visible frames and frame indices (the relative time t/(T-1)
/// is their mean divided by the frames so far). A window runs the encoder and the local graphs on
/// its own frames and folds them into the statistics; the global graph then runs over the N
/// entities, whose cost does not depend on the frames seen. The predictions equal the model's on
/// the prefix (tested).
public final class PrefixRecognizer {
    public let model: GLIDNModel
    public private(set) var frames = 0
    private var entities = 0
    private var width = 0
    private var localSum: [Float] = []
    private var inputSum: [Float] = []
    private var inputMax: [Float] = []
    private var visibleFrames: [Float] = []
    private var edgeSum: [Float] = []
    private var pairFrames: [Float] = []
    private var pairTime: [Float] = []
    private var first: Clip?

    public init(model: GLIDNModel) throws(ConfigError) {
        guard model.config.temporalContext == .clip else {
            throw ConfigError(
                source: "predict --online",
                problem: "windows of frames stream one-segment clips; this checkpoint reads videos of segments")
        }
        self.model = model
    }

    /// The next frames of the clip (a one-segment clip of the same entities): the clip's logits
    /// from every frame so far.
    public func push(_ window: Clip) throws -> OnlineRecognizer.Update {
        let began = DispatchTime.now().uptimeNanoseconds
        guard window.segments == 1 else { throw BatchError("a window is frames of a one-segment clip") }
        if let first, first.entities != window.entities || first.categories != window.categories {
            throw BatchError("window \(frames) has other entities than the clip so far")
        }
        let batch = try Batch.collate([window], labels: [])
        try model.check(batch)
        if first == nil {
            first = window
            (entities, width) = (window.entities, model.config.hidden)
            let (n, d) = (entities, width)
            (localSum, inputSum, inputMax) = (
                Array(repeating: 0, count: n * d), Array(repeating: 0, count: n * d),
                Array(repeating: -.infinity, count: n * d)
            )
            visibleFrames = Array(repeating: 0, count: n)
            (edgeSum, pairFrames, pairTime) = (
                Array(repeating: 0, count: n * n * 5), Array(repeating: 0, count: n * n),
                Array(repeating: 0, count: n * n)
            )
        }
        let logits = withoutGradients { predict(batch) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return OnlineRecognizer.Update(segment: frames - 1, logits: logits, seconds: seconds)
    }

    private func predict(_ batch: Batch) -> BranchLogits {
        let config = model.config
        let (n, d, w) = (entities, width, batch.frames)
        let graphs = GraphInputs(batch: batch, localEdgeMode: config.localEdges, temporalContext: .clip)
        var context = ForwardContext.evaluation
        let encoded = model.encoder(batch, graphs: graphs, context: &context)
        var states = encoded
        if config.variant.usesLocalGraphs, let localGraphs = model.localGraphs {
            states = localGraphs(encoded, graphs: graphs, context: &context).0
        }
        let (mask, h0, hL, e) = (batch.mask.values, encoded.values, states.values, graphs.localEdges.values)
        for f in 0..<w {
            for i in 0..<n where mask[f * n + i] != 0 {
                visibleFrames[i] += 1
                for c in 0..<d {
                    let at = (f * n + i) * d + c
                    localSum[i * d + c] += hL[at]
                    inputSum[i * d + c] += h0[at]
                    inputMax[i * d + c] = max(inputMax[i * d + c], h0[at])
                }
                for j in 0..<n where mask[f * n + j] != 0 {
                    pairFrames[i * n + j] += 1
                    pairTime[i * n + j] += Float(frames + f)
                    for q in 0..<5 { edgeSum[(i * n + j) * 5 + q] += e[((f * n + i) * n + j) * 5 + q] }
                }
            }
        }
        frames += w
        let em = visibleFrames.map { $0 > 0 ? Float(1) : 0 }
        let entityMask = Tensor(shape: [1, n], values: em)
        let humans = Tensor(shape: [1, n], values: (first?.isHuman ?? []).enumerated().map { $1 ? em[$0] : 0 })
        func mean(_ sum: [Float]) -> [Float] {
            (0..<(n * d)).map { visibleFrames[$0 / d] > 0 ? sum[$0] / visibleFrames[$0 / d] : 0 }
        }
        var local: BranchLogits?
        if config.variant.uses(.local) {
            local = model.heads.logits(
                .local, summaries: Tensor(shape: [1, n, d], values: mean(localSum)), entityMask: entityMask,
                humanMask: humans, segments: 1)
        }
        var global: BranchLogits?
        if let graph = model.globalGraph {
            var pooled = [Float](repeating: 0, count: n * 2 * d)
            let means = mean(inputSum)
            for i in 0..<n where visibleFrames[i] > 0 {
                for c in 0..<d {
                    pooled[i * 2 * d + c] = means[i * d + c]
                    pooled[i * 2 * d + d + c] = inputMax[i * d + c]
                }
            }
            var h = graph.input(Tensor(shape: [1, n, 2 * d], values: pooled)).reluMasked(rows: entityMask)
            let edges = edgeFeatures()
            let adjacency = Tensor(shape: [1, n, n], values: (0..<(n * n)).map { em[$0 / n] * em[$0 % n] })
            for layer in graph.layers.layers {
                h = layer(h, adjacency: adjacency, edges: edges, nodeMask: entityMask, context: &context).states
            }
            global = model.heads.logits(.global, summaries: h, entityMask: entityMask, humanMask: humans, segments: 1)
        }
        return BranchLogits.prediction(local: local, global: global, localWeight: config.fusionWeight)
    }

    /// The global edges of docs/MODEL.md, section 6, from the running sums [1, N, N, 7].
    private func edgeFeatures() -> Tensor {
        let n = entities
        let t = Float(frames)
        var out = [Float](repeating: 0, count: n * n * 7)
        for pair in 0..<(n * n) where pairFrames[pair] > 0 {
            let c = pairFrames[pair]
            for q in 0..<5 { out[pair * 7 + q] = edgeSum[pair * 5 + q] / c }
            out[pair * 7 + 5] = c / t
            out[pair * 7 + 6] = frames > 1 ? pairTime[pair] / c / (t - 1) : 0
        }
        return Tensor(shape: [1, n, n, 7], values: out)
    }
}
