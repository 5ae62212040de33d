import Autograd

/// What one forward pass produces: the logits of each branch that exists, their mean as
/// the prediction, and the intermediate states that losses, reference checks and
/// attention analysis read.
public struct ModelOutput {
    /// Node encoder output [B, T, N, D] (after dropout when training).
    public let h0: Tensor
    /// Local graph output [B, T, N, D] (the encoder output for `pooled`; nil for `global`).
    public let hL: Tensor?
    /// Per-entity local summary l̄ [B, N, D] (nil for `global`).
    public let lbar: Tensor?
    /// Global graph input and output [B, N, D] (nil without the global graph).
    public let g0: Tensor?
    public let hG: Tensor?
    /// em [B, N]
    public let entityMask: Tensor
    /// [B, N, N, 7]
    public let globalEdges: Tensor
    /// Per layer, α [B·T, N, N, H] and [B, N, N, H].
    public let localAttention: [Tensor]
    public let globalAttention: [Tensor]
    public let localLogits: BranchLogits?
    public let globalLogits: BranchLogits?

    /// The prediction: the mean of the branches' logits.
    public var logits: BranchLogits {
        switch (localLogits, globalLogits) {
        case let (l?, g?): return BranchLogits.average(l, g)
        case let (l?, nil): return l
        case let (nil, g?): return g
        default: fatalError("ModelOutput: a model has at least one branch")
        }
    }
}
