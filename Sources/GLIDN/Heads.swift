import Autograd
import NN

/// Logits of one branch (local or global) for the model's task.
public enum BranchLogits {
    /// [B, C]
    case video(Tensor)
    /// [B, N, S] and [B, N, A]
    case entity(subactivity: Tensor, affordance: Tensor)

    /// The mean of two branches' logits (the model's prediction).
    static func average(_ a: BranchLogits, _ b: BranchLogits) -> BranchLogits {
        switch (a, b) {
        case (.video(let x), .video(let y)): return .video((x + y) * 0.5)
        case (.entity(let s1, let a1), .entity(let s2, let a2)): return .entity(subactivity: (s1 + s2) * 0.5, affordance: (a1 + a2) * 0.5)
        default: fatalError("average: branches of different tasks")
        }
    }
}

/// The classifier of one branch: from per-entity summaries [B, N, D] to logits.
///
/// Video: [mean_n ; max_n] over existing entities → Linear(2D, C).
/// Entity: sub-activity Linear(D, S) per entity; affordance Linear(2D, A) on the entity
/// joined with the mean of the clip's human entities.
final class BranchHead {
    let video: Linear?
    let subactivity: Linear?
    let affordance: Linear?

    init(config: ModelConfig, generator: inout SeededGenerator) {
        let d = config.hidden
        switch config.task {
        case .video:
            video = Linear(inFeatures: 2 * d, outFeatures: config.classes!, generator: &generator)
            subactivity = nil
            affordance = nil
        case .entity:
            video = nil
            subactivity = Linear(inFeatures: d, outFeatures: config.subactivities!, generator: &generator)
            affordance = Linear(inFeatures: 2 * d, outFeatures: config.affordances!, generator: &generator)
        }
    }

    /// Checkpoint entries under `head.`, with the branch name (`local` / `global`).
    func entries(branch: String) -> [(name: String, child: ModuleChild)] {
        if let video { return [(branch, .module(video))] }
        return [("\(branch)_subactivity", .module(subactivity!)), ("\(branch)_affordance", .module(affordance!))]
    }

    /// summaries [B, N, D], entityMask [B, N], humanMask [B, N] (human and existing).
    func callAsFunction(_ summaries: Tensor, entityMask: Tensor, humanMask: Tensor) -> BranchLogits {
        if let video {
            return .video(video(MaskedPooling.meanAndMax(summaries, mask: entityMask, axis: 1)))
        }
        let (sub, aff) = (subactivity!, affordance!)
        let joint = EntityHeadsOp.apply(summaries, humanMask: humanMask, subWeight: sub.weight.value, subBias: sub.bias!.value,
                                        affWeight: aff.weight.value, affBias: aff.bias!.value)
        return .entity(subactivity: joint.sliced(axis: 2, range: 0..<sub.outFeatures),
                       affordance: joint.sliced(axis: 2, range: sub.outFeatures..<(sub.outFeatures + aff.outFeatures)))
    }
}
