import Autograd

extension EntityHeadsOp {
    /// The entity heads as plain ops: h̄ = the mean of x over the clip's human entities,
    /// sub-activity logits W_s·x_n + b_s and affordance logits W_a·[x_n ; h̄] + b_a, joined
    /// on the last axis ([B, N, S + A]).
    static func composed(
        _ x: Tensor, humanMask: Tensor, subWeight: Tensor, subBias: Tensor, affWeight: Tensor, affBias: Tensor
    ) -> Tensor {
        let (b, n, d) = (x.shape[0], x.shape[1], x.shape[2])
        let humans = x.maskedMean(axis: 1, mask: humanMask).unsqueezed(axis: 1).broadcast(to: [b, n, d])
        let subactivity = x.linear(weight: subWeight, bias: subBias)
        let affordance = Tensor.concat([x, humans], axis: -1).linear(weight: affWeight, bias: affBias)
        return Tensor.concat([subactivity, affordance], axis: -1)
    }
}
