import Autograd

extension GraphAttention {
    /// The layer as the plain composition of ops that its fused kernel replaces, step by step
    /// as docs/MODEL.md writes it. Same values, attention and gradients up to rounding; the
    /// dropout draw, if any, is the kernel's (`Tensor.dropoutMask` of [G, N, N, H]).
    ///
    ///     z = W h                                   (split into H heads of D/H)
    ///     s_ij^k = LeakyReLU_0.2(att_dst^k·z_i^k + att_src^k·z_j^k + att_edge^k·e_ij)
    ///     α_ij^k = softmax_j(s_ij^k) over the senders j with A_ij = 1 (s = -1e9 elsewhere)
    ///     o_i = concat_k Σ_j α_ij^k z_j^k + bias;   h_i' = (h_i + ELU(o_i)) · m_i
    func composed(_ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, dropout: DropoutDraw?)
        -> (states: Tensor, attention: Tensor)
    {
        attend(h, adjacency: adjacency, edges: edges, mask: nodeMask, dropout: dropout)
    }

    /// The same steps for R receivers h [G, R, D] hearing M senders whose projections W h are
    /// `projectedSenders` [G, M, H, D/H] (nil: the receivers themselves; adjacency [G, R, M],
    /// edges [G, R, M, E]): the new states [G, R, D] and α [G, R, M, H].
    func attend(
        _ h: Tensor, projectedSenders: Tensor? = nil, adjacency: Tensor, edges: Tensor, mask: Tensor,
        dropout: DropoutDraw?
    ) -> (states: Tensor, attention: Tensor) {
        let (g, r, d) = (h.shape[0], h.shape[1], h.shape[2])
        let z = project(h)
        let zs = projectedSenders ?? z
        let attention = weights(z, senders: zs, adjacency: adjacency, edges: edges)
        var weights = attention
        if let dropout { weights = attention * Tensor.dropoutMask(attention.shape, draw: dropout) }
        let messages =
            Tensor.matmul(weights.permuted([0, 3, 1, 2]), zs.permuted([0, 2, 1, 3]))
            .permuted([0, 2, 1, 3]).reshaped([g, r, d]) + bias.value
        return ((h + messages.elu()) * mask.unsqueezed(axis: -1), attention)
    }

    /// z = W h split into heads: [G, N, H, D/H].
    func project(_ h: Tensor) -> Tensor {
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        return h.linear(weight: weight.value, bias: nil).reshaped([g, n, heads, d / heads])
    }

    /// Each sender is projected once, when it joins; the memory keeps W h.
    public func receivers(_ h: Tensor, joining memory: SenderMemory, adjacency: Tensor, edges: Tensor, mask: Tensor)
        -> Tensor
    {
        let z = project(h)
        memory.append(states: h, derived: z)
        let zs = memory.derivedTensor([heads, h.shape[2] / heads])
        return attend(h, projectedSenders: zs, adjacency: adjacency, edges: edges, mask: mask, dropout: nil).states
    }

    /// Steps 2 and 3: α [G, N, N, H] from the projected states z [G, N, H, D/H] (receivers) and
    /// zs [G, M, H, D/H] (senders; z itself when every node is both).
    func weights(_ z: Tensor, senders zs: Tensor? = nil, adjacency: Tensor, edges: Tensor) -> Tensor {
        let toReceiver = (z * attDestination.value).sum(axis: -1)  // [G, N, H]
        let fromSender = ((zs ?? z) * attSource.value).sum(axis: -1)
        let edgeScore = edges.linear(weight: attEdge.value, bias: nil)  // [G, N, N, H]
        let scores = (toReceiver.unsqueezed(axis: 2) + fromSender.unsqueezed(axis: 1) + edgeScore)
            .leakyRelu(slope: GraphAttentionKernel.leakySlope)
        let blocked = adjacency.map { $0 == 0 ? 1 : 0 }.unsqueezed(axis: -1)
        return scores.maskedFill(where: blocked, with: -1e9).softmax(axis: 2)
    }

    /// α for input states h, differentiable in h and every parameter the weights use (the
    /// fused kernel returns α as a plain value).
    public func attentionWeights(_ h: Tensor, adjacency: Tensor, edges: Tensor) -> Tensor? {
        let (g, n, d) = (h.shape[0], h.shape[1], h.shape[2])
        return weights(
            h.linear(weight: weight.value, bias: nil).reshaped([g, n, heads, d / heads]), adjacency: adjacency,
            edges: edges)
    }
}
