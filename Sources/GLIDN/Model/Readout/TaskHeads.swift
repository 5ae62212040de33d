import Autograd
import HOIData
import NN

/// The two branches of the model: local context graphs and the global relation graph.
public enum Branch: String, CaseIterable, Sendable {
    case local
    case global
}

/// The classifiers of every branch the model has, one per label group of its task, each
/// reading the group as its declaration says (`LabelGroupSpec.readout`): the `head.` module of
/// the checkpoints, `head.<branch>` when the task has one group, `head.<branch>_<group>` otherwise.
///
/// - `pooled`: Linear(2D, C) of [mean_n ; max_n] of the summaries over existing entities;
/// - `node`: Linear(D, C) of each (segment, entity) node's summary;
/// - `nodeWithHumans`: Linear(2D, C) of the summary joined with the mean over the segment's
///   human nodes.
///
/// A `node` group beside a `nodeWithHumans` group (the entity task) runs as one fused op
/// (`EntityHeadsOp`; its plain composition beside it), over the B·S segments as its clips.
final class TaskHeads: Module {
    struct Head {
        let group: LabelGroupSpec
        let linear: Linear
        let name: String
    }

    /// Per branch the model has, its heads in the task's group order.
    let heads: [Branch: [Head]]

    init(config: ModelConfig, generator: inout SeededGenerator) {
        let groups = config.task.groups
        var heads: [Branch: [Head]] = [:]
        for branch in Branch.allCases where config.variant.uses(branch) {
            heads[branch] = groups.map { group in
                let inputs = group.readout == .node ? config.hidden : 2 * config.hidden
                let linear = Linear(
                    inFeatures: inputs, outFeatures: config.classCounts[group.name] ?? 0, generator: &generator)
                return Head(
                    group: group, linear: linear,
                    name: groups.count == 1 ? branch.rawValue : "\(branch.rawValue)_\(group.name)")
            }
        }
        self.heads = heads
    }

    var children: [(name: String, child: ModuleChild)] {
        Branch.allCases.flatMap { branch in (heads[branch] ?? []).map { ($0.name, ModuleChild.module($0.linear)) } }
    }

    /// The logits of `branch` from its per-node summaries [B, S·N, D] (one node per segment
    /// and entity); `entityMask` and `humanMask` [B, S·N] (human and present) are plain values.
    /// Nil for a branch the model does not have.
    func logits(_ branch: Branch, summaries: Tensor, entityMask: Tensor, humanMask: Tensor, segments: Int)
        -> BranchLogits?
    {
        guard let heads = heads[branch] else { return nil }
        let (b, nodes, d) = (summaries.shape[0], summaries.shape[1], summaries.shape[2])
        let n = nodes / segments
        var logits: [String: Tensor] = [:]
        // The entity task's pair, fused.
        if let node = heads.first(where: { $0.group.readout == .node }),
            let withHumans = heads.first(where: { $0.group.readout == .nodeWithHumans }),
            heads.filter({ $0.group.readout != .pooled }).count == 2
        {
            let (sub, aff) = (node.linear, withHumans.linear)
            let joint = EntityHeadsOp.apply(
                summaries.reshaped([b * segments, n, d]), humanMask: humanMask.reshaped([b * segments, n]),
                subWeight: sub.weight.value, subBias: sub.biasValue,
                affWeight: aff.weight.value, affBias: aff.biasValue)
            let (s, a) = (sub.outFeatures, aff.outFeatures)
            let out = joint.reshaped([b, nodes, s + a])
            logits[node.group.name] = out.sliced(axis: 2, range: 0..<s)
            logits[withHumans.group.name] = out.sliced(axis: 2, range: s..<(s + a))
        }
        for head in heads where logits[head.group.name] == nil {
            switch head.group.readout {
            case .pooled:
                // Validated: a task of clip rows has one segment per clip.
                logits[head.group.name] = head.linear(MaskedPooling.meanAndMax(summaries, mask: entityMask, axis: 1))
            case .node:
                logits[head.group.name] = head.linear(summaries)
            case .nodeWithHumans:
                let perSegment = summaries.reshaped([b * segments, n, d])
                let humans = perSegment.maskedMean(axis: 1, mask: humanMask.reshaped([b * segments, n]))
                    .unsqueezed(axis: 1).broadcast(to: [b * segments, n, d])
                logits[head.group.name] = head.linear(Tensor.concat([perSegment, humans], axis: -1)).reshaped([
                    b, nodes, -1,
                ])
            }
        }
        return BranchLogits(groups: heads.map { ($0.group.name, logits[$0.group.name]!) })
    }
}
