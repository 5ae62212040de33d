import Autograd

/// What a graph layer keeps of the nodes streamed into one graph so far: their input states and
/// whatever the layer derives from each node once (the attention layer: its projection W h), so
/// that later receivers hear them without recomputing them (`GraphLayer.receivers(_:joining:…)`).
public final class SenderMemory {
    /// The senders' states, M rows of D values.
    public private(set) var states: [Float] = []
    /// The layer's own per-sender values, M rows of `derivedWidth`.
    public private(set) var derived: [Float] = []
    public private(set) var count = 0

    public init() {}

    /// Adds nodes: their states [1, R, D] and, if the layer keeps any, their derived rows [1, R, W].
    public func append(states new: Tensor, derived values: Tensor? = nil) {
        require(new.rank == 3 && new.shape[0] == 1, "SenderMemory keeps the nodes of one graph: [1, R, D]")
        states += new.values
        if let values { derived += values.values }
        count += new.shape[1]
    }

    /// The senders' states as [1, M, D].
    public func statesTensor(width: Int) -> Tensor { Tensor(shape: [1, count, width], values: states) }

    /// The derived rows as [1, M] + `shape` (one row per sender).
    public func derivedTensor(_ shape: [Int]) -> Tensor { Tensor(shape: [1, count] + shape, values: derived) }
}
