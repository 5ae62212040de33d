import Autograd
import HOIData
import NN

/// The two branches of the model: local context graphs and the global relation graph.
public enum Branch: String, CaseIterable, Sendable {
    case local
    case global
}

/// The classifiers of every branch the model has, for its task: the `head.` module of the
/// checkpoints. Each kind names its own classifiers (`head.local`, `head.global_affordance`, …).
protocol TaskHeads: Module {
    /// The logits of `branch` from its per-node summaries [B, S·N, D] (one node per segment
    /// and entity); `entityMask` and `humanMask` [B, S·N] (human and present) are plain values.
    /// Nil for a branch without a head.
    func logits(_ branch: Branch, summaries: Tensor, entityMask: Tensor, humanMask: Tensor, segments: Int) -> BranchLogits?
}

extension ModelConfig {
    /// The heads of this configuration's task, for the branches its variant has, drawn from
    /// `generator` branch by branch (local first).
    func makeHeads(generator: inout SeededGenerator) -> any TaskHeads {
        let branches = Branch.allCases.filter { variant.uses($0) }
        switch task {
        case .video: return VideoHeads(config: self, branches: branches, generator: &generator)
        case .entity: return EntityHeads(config: self, branches: branches, generator: &generator)
        }
    }
}

/// Video task: per branch, [mean_n ; max_n] of the summaries over existing entities →
/// Linear(2D, C), stored as `head.local` and `head.global`.
final class VideoHeads: TaskHeads {
    let local: Linear?
    let global: Linear?

    init(config: ModelConfig, branches: [Branch], generator: inout SeededGenerator) {
        let classes = config.classes ?? 0
        func make(_ branch: Branch) -> Linear? {
            branches.contains(branch) ? Linear(inFeatures: 2 * config.hidden, outFeatures: classes, generator: &generator) : nil
        }
        local = make(.local)
        global = make(.global)
    }

    var children: [(name: String, child: ModuleChild)] {
        [("local", local), ("global", global)].compactMap { name, linear in linear.map { (name, .module($0)) } }
    }

    func logits(_ branch: Branch, summaries: Tensor, entityMask: Tensor, humanMask: Tensor, segments: Int) -> BranchLogits? {
        guard let classifier = branch == .local ? local : global else { return nil }
        // The configuration is validated: the video task has one segment per clip.
        return BranchLogits(groups: [(LabelGroup.actions, classifier(MaskedPooling.meanAndMax(summaries, mask: entityMask, axis: 1)))])
    }
}

/// Entity task: per branch, sub-activity logits Linear(D, S) of each (segment, entity) node's
/// summary and affordance logits Linear(2D, A) of the summary joined with the mean over the
/// segment's human entities, stored as `head.<branch>_subactivity` and `head.<branch>_affordance`.
/// Both run as one fused op (`EntityHeadsOp`; its plain composition beside it), over the
/// B·S segments as its clips.
final class EntityHeads: TaskHeads {
    struct Pair {
        let subactivity: Linear
        let affordance: Linear
    }

    let local: Pair?
    let global: Pair?

    init(config: ModelConfig, branches: [Branch], generator: inout SeededGenerator) {
        let (d, s, a) = (config.hidden, config.subactivities ?? 0, config.affordances ?? 0)
        func make(_ branch: Branch) -> Pair? {
            guard branches.contains(branch) else { return nil }
            let subactivity = Linear(inFeatures: d, outFeatures: s, generator: &generator)
            return Pair(subactivity: subactivity, affordance: Linear(inFeatures: 2 * d, outFeatures: a, generator: &generator))
        }
        local = make(.local)
        global = make(.global)
    }

    var children: [(name: String, child: ModuleChild)] {
        [(Branch.local, local), (.global, global)].flatMap { branch, pair in
            pair.map { [("\(branch.rawValue)_subactivity", ModuleChild.module($0.subactivity)),
                        ("\(branch.rawValue)_affordance", .module($0.affordance))] } ?? []
        }
    }

    func logits(_ branch: Branch, summaries: Tensor, entityMask: Tensor, humanMask: Tensor, segments: Int) -> BranchLogits? {
        guard let pair = branch == .local ? local : global else { return nil }
        let (sub, aff) = (pair.subactivity, pair.affordance)
        let (b, nodes, d) = (summaries.shape[0], summaries.shape[1], summaries.shape[2])
        let n = nodes / segments
        let joint = EntityHeadsOp.apply(summaries.reshaped([b * segments, n, d]), humanMask: humanMask.reshaped([b * segments, n]),
                                        subWeight: sub.weight.value, subBias: sub.biasValue,
                                        affWeight: aff.weight.value, affBias: aff.biasValue)
        let (s, a) = (sub.outFeatures, aff.outFeatures)
        let logits = joint.reshaped([b, nodes, s + a])
        return BranchLogits(groups: [(LabelGroup.subactivity, logits.sliced(axis: 2, range: 0..<s)),
                                     (LabelGroup.affordance, logits.sliced(axis: 2, range: s..<(s + a)))])
    }
}
