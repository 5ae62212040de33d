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

    /// The buffer's address, created if needed and made this slot's own.
    mutating func pointer(_ index: Int, shape: [Int]) -> UnsafeMutablePointer<Float> {
        prepare(index, shape: shape)
        return buffers[index]!.uniqueStoragePointer()
    }
}

/// One parameter's share of an update: its values, gradient and state buffers (the
/// optimizer's slots, one or two), and where it starts in the concatenation of all parameters.
struct UpdateSpan {
    let values: UnsafeMutablePointer<Float>
    let gradient: UnsafePointer<Float>
    /// One buffer per slot of the optimizer, in slot order.
    let state: [UnsafeMutablePointer<Float>]
    let count: Int
    let start: Int
}

/// Runs an update over all parameters as one loop over their concatenation, split over
/// the cores: many small parameters cost one parallel pass instead of one pass each.
enum UpdatePass {
    /// The spans of every parameter that has a gradient (state buffers created as needed),
    /// and the gradients, which the caller keeps alive while it uses the spans.
    static func spans(
        _ parameters: [(name: String, parameter: Parameter)],
        slots: inout [OptimizerSlot]
    ) -> (spans: [UpdateSpan], gradients: [Tensor]) {
        var spans: [UpdateSpan] = []
        var gradients: [Tensor] = []
        var start = 0
        for (i, (_, p)) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            gradients.append(g)
            let state = slots.indices.map { slots[$0].pointer(i, shape: p.shape) }
            spans.append(
                UpdateSpan(
                    values: p.uniqueValuePointer(), gradient: g.storage.pointer, state: state,
                    count: p.value.count, start: start))
            start += p.value.count
        }
        return (spans, gradients)
    }

    static func run(_ spans: [UpdateSpan], _ body: (UpdateSpan, Range<Int>) -> Void) {
        let total = spans.last.map { $0.start + $0.count } ?? 0
        Parallel.forEachChunk(count: total, minimumChunk: Tensor.parallelChunk) { range in
            for span in spans where span.start < range.upperBound && span.start + span.count > range.lowerBound {
                let lower = max(range.lowerBound, span.start) - span.start
                let upper = min(range.upperBound, span.start + span.count) - span.start
                body(span, lower..<upper)
            }
        }
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
                    problems.append(
                        "\(key) has shape \(Shape.describe(t.shape)), the parameter has \(Shape.describe(p.shape))")
                }
                slots[s].buffers[i] = t
            }
        }
        for key in state.keys.sorted() where !known.contains(key) { problems.append("unexpected \(key)") }
        let step = state[stepKey]
        if step == nil || step!.count != 1 { problems.append("missing the step counter") }
        problems += StateLoadingError.nonFinite(state)
        guard problems.isEmpty, let step else { throw StateLoadingError(source: source, problems: problems) }
        return Int(step.scalar)
    }
}
