import Autograd

/// What one forward pass produces: the logits of each branch that exists, their mean as
/// the prediction, and the intermediate states that losses, reference checks and
/// attention analysis read. The symbols are those of docs/MODEL.md; the reference files
/// store these tensors as `output.h0`, `output.hL`, `output.lbar`, `output.g0`, `output.hG`.
public struct ModelOutput {
    /// h0: the node encoder's output [B, T, N, D] (after dropout when training).
    public let encoded: Tensor
    /// hL: the local context graphs' output [B, T, N, D] (the encoder output for `pooled`;
    /// nil for `global`).
    public let localStates: Tensor?
    /// l̄: each entity's local summary, hL averaged over the frames it is visible in [B, N, D]
    /// (nil for `global`).
    public let localSummary: Tensor?
    /// g0: the global relation graph's input [B, N, D] (nil without the global graph).
    public let globalInput: Tensor?
    /// hG: the global relation graph's output [B, N, D] (nil without the global graph).
    public let globalStates: Tensor?
    /// em [B, N]: 1 for entities visible in at least one frame.
    public let entityMask: Tensor
    /// The batch's visibility mask [B, T, N].
    public let visibility: Tensor
    /// The global graph's edge features [B, N, N, 7].
    public let globalEdges: Tensor
    /// The global graph's adjacency [B, S·N, S·N] (receiver, sender; nil without the global graph).
    public let globalAdjacency: Tensor?
    /// Per layer, α [B·T, N, N, H] (local) and [B, N, N, H] (global): receiver, sender, head.
    public let localAttention: [Tensor]
    public let globalAttention: [Tensor]
    public let localLogits: BranchLogits?
    public let globalLogits: BranchLogits?
    /// The weight of the local branch in the prediction (`ModelConfig.fusionWeight`).
    public let fusionWeight: Float
    /// The last local layer's attention [B·T, N, N, H] as a differentiable tensor, computed on
    /// demand (for losses on attention; `localAttention` holds plain values).
    public let differentiableLocalAttention: (() -> Tensor?)?
    /// The same for the global graph's last layer [B, S·N, S·N, H].
    public let differentiableGlobalAttention: (() -> Tensor?)?

    /// The prediction: the branches' logits fused with the configured weight (the mean by
    /// default; a model has at least one branch).
    public var logits: BranchLogits { fused(localWeight: fusionWeight) }

    /// w · local + (1 - w) · global logits; one branch's logits when the model has one.
    public func fused(localWeight w: Float) -> BranchLogits {
        BranchLogits.prediction(local: localLogits, global: globalLogits, localWeight: w)
    }
}
