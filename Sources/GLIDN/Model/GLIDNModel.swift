import Autograd
import HOIData
import NN
import Settings

/// The Global-Local Interaction Distillation Network of docs/MODEL.md, in all its variants.
///
/// Entities become nodes: a node encoder embeds each entity in each frame; local
/// context graphs relate the entities of each frame; a global relation graph relates
/// them across the clip; each branch has its own classifier, and the prediction is the
/// mean of the two. Parameter names are the checkpoint names of docs/MODEL.md.
public final class GLIDNModel: Module {
    /// Fixed at creation, but for the fusion weight (`setFusionWeight`), which changes no weight.
    public private(set) var config: ModelConfig
    public let encoder: NodeEncoder
    public let localGraphs: LocalContextGraphs?
    public let globalGraph: GlobalRelationGraph?
    let heads: TaskHeads
    /// The distillation scheme, with its learned parts if it has any.
    public let distillation: any DistillationScheme

    /// A model with fresh weights drawn from `seed`.
    public init(config: ModelConfig, seed: UInt64) throws(ConfigError) {
        try config.validate()
        self.config = config
        var generator = SeededGenerator(seed: seed)
        encoder = NodeEncoder(config: config, generator: &generator)
        localGraphs = config.variant.usesLocalGraphs ? LocalContextGraphs(config: config, generator: &generator) : nil
        globalGraph = config.variant.uses(.global) ? GlobalRelationGraph(config: config, generator: &generator) : nil
        heads = TaskHeads(config: config, generator: &generator)
        // Validated above: the scheme exists.
        let scheme = Catalogues.distillationSchemes.entry(named: config.distill) ?? NoDistillation.self
        distillation = scheme.init(config: config, generator: &generator)
    }

    public var children: [(name: String, child: ModuleChild)] {
        var c: [(name: String, child: ModuleChild)] = [("encoder", .module(encoder))]
        if let localGraphs { c.append(("local", .module(localGraphs))) }
        if let globalGraph { c.append(("global", .module(globalGraph))) }
        c.append(("head", .module(heads)))
        if let learned = distillation.module { c.append(("distill", .module(learned))) }
        return c
    }

    /// Sets the local branch's weight in the prediction (chosen on validation data after training).
    public func setFusionWeight(_ weight: Float) throws(ConfigError) {
        var changed = config
        changed.fusionWeight = weight
        try changed.validate()
        config = changed
    }

    /// The training loss of this model's configuration.
    public var objective: Objective { Objective(config: config, scheme: distillation) }

    /// Checks that a batch fits this model (sizes, category indices, label groups).
    public func check(_ batch: Batch) throws(BatchError) {
        guard batch.featureSize == config.features else {
            throw BatchError(
                "the batch has \(batch.featureSize) features per entity, the model expects \(config.features)")
        }
        if let bad = batch.categories.first(where: { $0 >= config.categories }) {
            throw BatchError("category \(bad) is beyond the model's \(config.categories) categories")
        }
        guard let targets = batch.targets else { return }
        let expected = config.labelGroups
        guard targets.groups.map(\.name) == expected.map(\.name) else {
            throw BatchError(
                "the batch's labels (\(targets.groups.map(\.name).joined(separator: ", "))) are for another task than the model's (\(config.task.rawValue): \(expected.map(\.name).joined(separator: ", ")))"
            )
        }
        for (group, spec) in zip(targets.groups, expected) {
            // A row per clip, or per node (segment and entity).
            let rows =
                config.task.group(spec.name)?.rows == .clip ? batch.size : batch.size * batch.segments * batch.entities
            switch group.labels {
            case .multiHot(let y) where y.shape.first != rows:
                throw BatchError("\(group.name) labels have \(y.shape.first ?? 0) rows, the model reads \(rows)")
            case .classes(let c) where c.count != rows:
                throw BatchError("\(c.count) \(group.name) labels, the model reads \(rows) rows")
            case .multiHot(let y) where y.shape.last != spec.classes:
                throw BatchError("\(group.name) labels have \(y.shape.last ?? 0) classes, the model \(spec.classes)")
            case .classes(let c):
                if let bad = c.first(where: { $0 >= spec.classes }) {
                    throw BatchError("\(group.name) label \(bad) is beyond the model's \(spec.classes)")
                }
            default: break
            }
        }
    }

    public func callAsFunction(_ batch: Batch, context: inout ForwardContext) -> ModelOutput {
        let graphs = GraphInputs(
            batch: batch, localEdgeMode: config.localEdges, temporalContext: config.temporalContext)
        let encoded = encoder(batch, graphs: graphs, context: &context)
        // Per (segment, entity) node: human and present in the segment.
        let humanMask =
            (batch.isHuman.unsqueezed(axis: 1)
            * graphs.entityMask.reshaped([batch.size, graphs.segments, batch.entities]))
            .reshaped([batch.size, graphs.segments * batch.entities])

        var localStates: Tensor?
        var localSummary: Tensor?
        var localAttention: [Tensor] = []
        var localLogits: BranchLogits?
        var differentiableAttention: (() -> Tensor?)?
        if config.variant.uses(.local) {
            var states = encoded
            if let localGraphs {
                let lastInput: Tensor
                (states, localAttention, lastInput) = localGraphs(encoded, graphs: graphs, context: &context)
                differentiableAttention = { localGraphs.lastAttention(input: lastInput, graphs: graphs) }
            }
            let summary = MaskedPooling.meanPerSegment(states, mask: batch.mask, segments: graphs.segments)
            localStates = states
            localSummary = summary
            localLogits = heads.logits(
                .local, summaries: summary, entityMask: graphs.entityMask, humanMask: humanMask,
                segments: graphs.segments)
        }

        var globalInput: Tensor?
        var globalStates: Tensor?
        var globalAttention: [Tensor] = []
        var globalLogits: BranchLogits?
        var differentiableGlobalAttention: (() -> Tensor?)?
        if let globalGraph {
            let result = globalGraph(encoded, mask: batch.mask, graphs: graphs, context: &context)
            globalInput = result.input
            globalStates = result.states
            globalAttention = result.attention
            differentiableGlobalAttention = { globalGraph.lastAttention(input: result.lastInput, graphs: graphs) }
            globalLogits = heads.logits(
                .global, summaries: result.states, entityMask: graphs.entityMask, humanMask: humanMask,
                segments: graphs.segments)
        }

        return ModelOutput(
            encoded: encoded, localStates: localStates, localSummary: localSummary, globalInput: globalInput,
            globalStates: globalStates, entityMask: graphs.entityMask, visibility: batch.mask,
            globalEdges: graphs.globalEdges, globalAdjacency: globalGraph == nil ? nil : graphs.globalAdjacency,
            localAttention: localAttention, globalAttention: globalAttention, localLogits: localLogits,
            globalLogits: globalLogits,
            fusionWeight: config.fusionWeight, differentiableLocalAttention: differentiableAttention,
            differentiableGlobalAttention: differentiableGlobalAttention)
    }
}
