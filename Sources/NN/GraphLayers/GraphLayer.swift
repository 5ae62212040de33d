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
}

extension GraphLayer {
    public func attentionWeights(_ h: Tensor, adjacency: Tensor, edges: Tensor) -> Tensor? { nil }
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
