import Autograd

/// Updates parameters from their gradients. Optimizer state (moments, step count) is
/// exposed as named tensors so that a checkpoint can carry it and a resumed run can
/// continue exactly where it stopped.
public protocol Optimizer: AnyObject {
    /// One update of every parameter that has a gradient, at the given learning rate,
    /// with every gradient multiplied by `gradientScale` first (how clipping is applied
    /// without rewriting the gradients).
    func step(learningRate: Float, gradientScale: Float)
    /// The state by name (`<parameter>.<slot>` and `step`), for checkpoints.
    func state() -> [String: Tensor]
    /// Restores a state produced by `state()`; every mismatch is reported at once.
    func load(state: [String: Tensor]) throws(StateLoadingError)
}

extension Optimizer {
    public func step(learningRate: Float) { step(learningRate: learningRate, gradientScale: 1) }
}

/// Per-parameter buffers of one kind (a "slot": Adam's first moment, SGD's momentum…),
/// created as zeros when first used.
struct OptimizerSlot {
    let kind: String
    var buffers: [Tensor?]

    init(kind: String, count: Int) {
        self.kind = kind
        buffers = Array(repeating: nil, count: count)
    }

    mutating func prepare(_ index: Int, shape: [Int]) {
        if buffers[index] == nil { buffers[index] = Tensor.zeros(shape) }
    }
}

/// Turns slots and a step counter into named tensors and back.
struct OptimizerState {
    static let stepKey = "step"

    static func save(steps: Int, slots: [OptimizerSlot], names: [String]) -> [String: Tensor] {
        var out: [String: Tensor] = [stepKey: Tensor(Float(steps))]
        for slot in slots {
            for (name, buffer) in zip(names, slot.buffers) {
                if let buffer { out[name + "." + slot.kind] = buffer }
            }
        }
        return out
    }

    /// Reads the step counter and fills `slots` (missing buffers stay unset: those
    /// parameters had no gradient yet). Unknown names and wrong shapes are errors.
    static func load(
        _ state: [String: Tensor], into slots: inout [OptimizerSlot],
        parameters: [(name: String, parameter: Parameter)], source: String
    ) throws(StateLoadingError) -> Int {
        var problems: [String] = []
        var known: Set<String> = [stepKey]
        for s in slots.indices {
            for (i, (name, p)) in parameters.enumerated() {
                let key = name + "." + slots[s].kind
                known.insert(key)
                guard let t = state[key] else {
                    slots[s].buffers[i] = nil
                    continue
                }
                if t.shape != p.shape {
                    problems.append("\(key) has shape \(Shape.describe(t.shape)), the parameter has \(Shape.describe(p.shape))")
                }
                slots[s].buffers[i] = t
            }
        }
        for key in state.keys.sorted() where !known.contains(key) { problems.append("unexpected \(key)") }
        let step = state[stepKey]
        if step == nil || step!.count != 1 { problems.append("missing the step counter") }
        guard problems.isEmpty, let step else { throw StateLoadingError(source: source, problems: problems) }
        return Int(step.scalar)
    }
}
