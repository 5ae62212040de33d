import Autograd
import HOIData

/// The logits of one branch (local or global), one tensor per label group of the task, in
/// the task's order: the last axis holds the classes and every axis before it is a row
/// (`actions` [B, C]; `subactivity` [B, N, S] and `affordance` [B, N, A]). Losses,
/// distillation and metrics go group by group, so none of them needs to know the task.
public struct BranchLogits {
    public let groups: [(name: String, logits: Tensor)]

    public init(groups: [(name: String, logits: Tensor)]) { self.groups = groups }

    public subscript(name: String) -> Tensor? { groups.first { $0.name == name }?.logits }

    /// Each group's logits as [rows, classes].
    public var rows: [(name: String, logits: Tensor)] {
        groups.map { ($0.name, $0.logits.reshaped([-1, $0.logits.shape.last ?? 1])) }
    }

    /// w · local + (1 - w) · global, group by group (the model's prediction). w = 0.5 is the
    /// mean, computed as (local + global) · 0.5.
    static func fused(local a: BranchLogits, global b: BranchLogits, localWeight w: Float) -> BranchLogits {
        BranchLogits(
            groups: zip(a.groups, b.groups).map { x, y in
                require(x.name == y.name, "fused: branches predict different label groups (\(x.name), \(y.name))")
                if w == 0.5 { return (x.name, (x.logits + y.logits) * 0.5) }
                return (x.name, x.logits * w + y.logits * (1 - w))
            })
    }

    /// The prediction of a model with these branches: both fused with weight w on the local
    /// branch, else the one it has (none: no groups).
    static func prediction(local: BranchLogits?, global: BranchLogits?, localWeight w: Float) -> BranchLogits {
        switch (local, global) {
        case (let l?, let g?): return fused(local: l, global: g, localWeight: w)
        case (let l?, nil): return l
        case (nil, let g?): return g
        case (nil, nil): return BranchLogits(groups: [])
        }
    }
}
