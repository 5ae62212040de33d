import Autograd
import HOIData
import NN

/// The Global-Local Interaction Distillation Network of MODEL.md, in all its variants.
///
/// Entities become nodes: a node encoder embeds each entity in each frame; local
/// context graphs relate the entities of each frame; a global relation graph relates
/// them across the clip; each branch has its own classifier, and the prediction is the
/// mean of the two. Parameter names are the checkpoint names of MODEL.md.
public final class GLIDNModel: Module {
    public let config: ModelConfig
    public let encoder: NodeEncoder
    public let localGraphs: LocalContextGraphs?
    public let globalGraph: GlobalRelationGraph?
    let localHead: BranchHead?
    let globalHead: BranchHead?

    /// A model with fresh weights drawn from `seed`.
    public init(config: ModelConfig, seed: UInt64) throws(ConfigError) {
        try config.validate()
        self.config = config
        var generator = SeededGenerator(seed: seed)
        encoder = NodeEncoder(config: config, generator: &generator)
        let variant = config.variant
        // `pooled` is the local branch with no graph layers.
        localGraphs = variant == .local || variant == .glidn ? LocalContextGraphs(config: config, generator: &generator) : nil
        globalGraph = variant.usesGlobalBranch ? GlobalRelationGraph(config: config, generator: &generator) : nil
        localHead = variant.usesLocalBranch ? BranchHead(config: config, generator: &generator) : nil
        globalHead = variant.usesGlobalBranch ? BranchHead(config: config, generator: &generator) : nil
    }

    public var children: [(name: String, child: ModuleChild)] {
        var c: [(name: String, child: ModuleChild)] = [("encoder", .module(encoder))]
        if let localGraphs { c.append(("local", .module(localGraphs))) }
        if let globalGraph { c.append(("global", .module(globalGraph))) }
        let heads = (localHead?.entries(branch: "local") ?? []) + (globalHead?.entries(branch: "global") ?? [])
        c.append(("head", .module(ModuleGroup(heads.map { entry in
            guard case .module(let m) = entry.child else { fatalError("heads hold modules") }
            return (entry.name, m)
        }))))
        return c
    }

    /// Checks that a batch fits this model (sizes and category indices).
    public func check(_ batch: Batch) throws(BatchError) {
        guard batch.featureSize == config.features else {
            throw BatchError("the batch has \(batch.featureSize) features per entity, the model expects \(config.features)")
        }
        if let bad = batch.categories.first(where: { $0 >= config.categories }) {
            throw BatchError("category \(bad) is beyond the model's \(config.categories) categories")
        }
        switch (batch.targets, config.task) {
        case (.video(let y)?, .video) where y.shape[1] != config.classes!:
            throw BatchError("labels have \(y.shape[1]) classes, the model \(config.classes!)")
        case (.entity(let h, let o)?, .entity):
            if let bad = h.first(where: { $0 >= config.subactivities! }) {
                throw BatchError("sub-activity label \(bad) is beyond the model's \(config.subactivities!)")
            }
            if let bad = o.first(where: { $0 >= config.affordances! }) {
                throw BatchError("affordance label \(bad) is beyond the model's \(config.affordances!)")
            }
        case (.video?, .entity), (.entity?, .video):
            throw BatchError("the batch's labels are for another task than the model's (\(config.task.rawValue))")
        default: break
        }
    }

    public func callAsFunction(_ batch: Batch, context: inout ForwardContext) -> ModelOutput {
        let graphs = GraphInputs(batch: batch, localEdgeMode: config.localEdges)
        let h = encoder(batch, graphs: graphs, context: &context)
        let humanMask = batch.isHuman * graphs.entityMask

        var hL: Tensor?
        var lbar: Tensor?
        var localAttention: [Tensor] = []
        var localLogits: BranchLogits?
        if let localHead {
            if let localGraphs {
                let (states, attention) = localGraphs(h, graphs: graphs, context: &context)
                hL = states
                localAttention = attention
            } else {
                hL = h
            }
            let summary = MaskedPooling.mean(hL!, mask: batch.mask, axis: 1)
            lbar = summary
            localLogits = localHead(summary, entityMask: graphs.entityMask, humanMask: humanMask)
        }

        var g0: Tensor?
        var hG: Tensor?
        var globalAttention: [Tensor] = []
        var globalLogits: BranchLogits?
        if let globalGraph, let globalHead {
            let result = globalGraph(h, mask: batch.mask, graphs: graphs, context: &context)
            g0 = result.g0
            hG = result.hG
            globalAttention = result.attention
            globalLogits = globalHead(result.hG, entityMask: graphs.entityMask, humanMask: humanMask)
        }

        return ModelOutput(
            h0: h, hL: hL, lbar: lbar, g0: g0, hG: hG, entityMask: graphs.entityMask,
            globalEdges: graphs.globalEdges, localAttention: localAttention, globalAttention: globalAttention,
            localLogits: localLogits, globalLogits: globalLogits)
    }
}
