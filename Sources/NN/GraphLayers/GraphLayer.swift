import Autograd

/// A message-passing layer over a batch of small dense graphs: G graphs of N nodes with
/// states [G, N, D], adjacency [G, N, N] (1 where sender j, the last axis, reaches receiver i),
/// edge features [G, N, N, E] and a node mask [G, N]. It returns the new states [G, N, D] and
/// the weight each receiver gave each sender [G, N, N, H] (attention, or the fixed weights of
/// a layer without it), for analysis. Both of GLIDN's graphs are stacks of such layers.
public protocol GraphLayer: Module {
    func callAsFunction(_ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, context: inout ForwardContext)
        -> (states: Tensor, attention: Tensor)

    /// The weights the layer gives each sender for input states `h`, as a differentiable tensor
    /// [G, N, N, H] (for losses on attention), or nil for a layer without learned weights.
    func attentionWeights(_ h: Tensor, adjacency: Tensor, edges: Tensor) -> Tensor?

    /// New nodes joining a graph whose earlier nodes cannot hear them (streaming): the R new
    /// nodes with states `h` [1, R, D] join the senders kept in `memory` (which this appends
    /// them to), and the new states of those R receivers [1, R, D] are returned, each hearing
    /// the senders its row of `adjacency` [1, R, M] names (M senders, the new ones last), with
    /// edges [1, R, M, E] and the receivers' mask [1, R]. Inference only (no dropout). The cost
    /// grows with R · M, not M².
    func receivers(_ h: Tensor, joining memory: SenderMemory, adjacency: Tensor, edges: Tensor, mask: Tensor)
        -> Tensor
}

extension GraphLayer {
    public func attentionWeights(_ h: Tensor, adjacency: Tensor, edges: Tensor) -> Tensor? { nil }

    /// Any layer: the whole graph of the M senders, the earlier rows hearing nothing, and the
    /// last R rows kept (M² work; a layer overrides it with its R · M form).
    public func receivers(_ h: Tensor, joining memory: SenderMemory, adjacency: Tensor, edges: Tensor, mask: Tensor)
        -> Tensor
    {
        memory.append(states: h)
        let senders = memory.statesTensor(width: h.shape[2])
        let (g, r, m) = (adjacency.shape[0], adjacency.shape[1], adjacency.shape[2])
        let e = edges.shape[3]
        let before = m - r
        let fullAdjacency = Tensor.concat([Tensor.zeros([g, before, m]), adjacency], axis: 1)
        let fullEdges = Tensor.concat([Tensor.zeros([g, before, m, e]), edges], axis: 1)
        let fullMask = Tensor.concat([Tensor.zeros([g, before]), mask], axis: 1)
        var context = ForwardContext.evaluation
        let (states, _) = self(
            senders, adjacency: fullAdjacency, edges: fullEdges, nodeMask: fullMask, context: &context)
        return states.sliced(axis: 1, range: before..<m)
    }
}

/// Graph layers applied in turn to the same graphs. Not a module of its own: the module that
/// holds it lists the layers among its children, named by position (`0`, `1`, …), as
/// PyTorch's ModuleList under its owner.
public struct GraphLayerStack {
    public let layers: [any GraphLayer]

    public init(_ layers: [any GraphLayer]) { self.layers = layers }

    /// The layers by position, for the owner's `children`.
    public var children: [(name: String, child: ModuleChild)] {
        layers.enumerated().map { (String($0.offset), .module($0.element)) }
    }

    /// The final states, each layer's attention, and the last layer's input states.
    public func callAsFunction(
        _ h: Tensor, adjacency: Tensor, edges: Tensor, nodeMask: Tensor, context: inout ForwardContext
    )
        -> (states: Tensor, attention: [Tensor], lastInput: Tensor)
    {
        var states = h
        var lastInput = h
        var attention: [Tensor] = []
        for layer in layers {
            lastInput = states
            let (next, a) = layer(states, adjacency: adjacency, edges: edges, nodeMask: nodeMask, context: &context)
            states = next
            attention.append(a)
        }
        return (states, attention, lastInput)
    }
}
