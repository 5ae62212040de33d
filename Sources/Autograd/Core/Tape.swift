import Dispatch

/// Reverse-mode differentiation on a tape, the micrograd way.
///
/// Every op whose inputs need gradients records a `GradNode`: the nodes of its
/// inputs and one closure that maps the gradient of its output to the gradients of
/// its inputs. `backward()` walks the recorded graph in reverse topological order
/// (computed iteratively, so long chains cannot overflow the stack), accumulates
/// gradients in the leaves, and frees the graph as it goes.
public final class GradNode {
    /// The nodes of the op's inputs, `nil` for inputs that need no gradient.
    var inputs: [GradNode?]
    /// Maps the output gradient to one gradient per input (nil: none for that input).
    var backward: ((Tensor) -> [Tensor?])?
    /// For leaves: the accumulated gradient. For interior nodes: the gradient while
    /// backward runs, released once it has been passed on.
    var grad: Tensor?
    let isLeaf: Bool
    let shape: [Int]
    /// Set once backward has run through this node and released what it recorded.
    var released = false
    /// Where the op was recorded, while an `OpProfiler` is installed.
    var site: OpProfiler.Site?

    init(leafShape shape: [Int]) {
        inputs = []
        backward = nil
        isLeaf = true
        self.shape = shape
    }

    init(shape: [Int], inputs: [GradNode?], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
        isLeaf = false
        self.shape = shape
    }

    /// Releases the graph behind this node iteratively: a chain of a million ops
    /// would otherwise be freed by a million nested deinit calls.
    deinit {
        var pending = inputs.compactMap { $0 }
        inputs = []
        backward = nil
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            pending.append(contentsOf: node.inputs.compactMap { $0 })
            node.inputs = []
            node.backward = nil
        }
    }

    func accumulate(_ g: Tensor) {
        require(
            g.shape == shape,
            "backward: gradient of shape \(Shape.describe(g.shape)) for a tensor of shape \(Shape.describe(shape))")
        if grad == nil {
            grad = g.detached()
        } else {
            grad!.addInPlace(g)
        }
    }
}

/// Whether ops record themselves for differentiation on the current task.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any op: for evaluation and inference.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

extension Tensor {
    /// True when this tensor is a leaf that collects gradients or was computed from one.
    public var requiresGrad: Bool { node != nil }

    /// A leaf copy of this tensor that collects gradients (`requires_grad_()`).
    public func requiringGrad() -> Tensor {
        var t = detached()
        t.node = GradNode(leafShape: shape)
        return t
    }

    /// The gradient accumulated in this leaf by `backward()` calls, if any.
    public var grad: Tensor? { node?.grad }

    /// Forgets the accumulated gradient of this leaf.
    public func zeroGrad() { node?.grad = nil }

    /// Attaches the record of an op to its freshly computed `value`, when any input
    /// needs a gradient and recording is on; otherwise returns `value` untouched.
    /// The closure must not capture the result tensor itself, only `value` (which has no
    /// node), or the node would own itself.
    /// `file` and `function` name the op for `OpProfiler` (the defaults: the op's own).
    public static func record(
        _ value: Tensor, inputs: [Tensor], file: StaticString = #fileID, function: StaticString = #function,
        backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.node != nil }) else { return value }
        var out = value
        out.node = GradNode(shape: value.shape, inputs: inputs.map(\.node), backward: backward)
        if let profiler = OpProfiler.current {
            out.node!.site = profiler.forward(
                OpProfiler.Site(file: "\(file)", function: "\(function)", shape: value.shape))
        }
        return out
    }

    /// Differentiates this tensor with respect to every leaf it depends on.
    /// The tensor must hold one element unless a `seed` gradient of its shape is given.
    public func backward(seed: Tensor? = nil) {
        guard let root = node else {
            fatalError("backward: the tensor does not require a gradient (no input was a leaf, or gradients were off)")
        }
        if let seed {
            require(
                seed.shape == shape,
                "backward: seed of shape \(Shape.describe(seed.shape)) for a tensor of shape \(Shape.describe(shape))")
        } else {
            require(count == 1, "backward: a tensor of shape \(Shape.describe(shape)) needs a seed gradient")
        }
        require(!root.released, "backward: the graph behind this tensor was already freed by an earlier backward()")
        let order = Self.topologicalOrder(from: root)
        root.accumulate(seed ?? Tensor(shape: shape, repeating: 1))
        // Gradients are computed with recording off: no graph of the graph.
        withoutGradients {
            for node in order.reversed() {
                guard let run = node.backward else { continue }
                if let g = node.grad {
                    let start = node.site == nil ? 0 : DispatchTime.now().uptimeNanoseconds
                    let grads = run(g)
                    if let site = node.site {
                        OpProfiler.current?.backward(site, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
                    }
                    require(
                        grads.count == node.inputs.count,
                        "internal: an op returned \(grads.count) gradients for \(node.inputs.count) inputs")
                    for (input, gi) in zip(node.inputs, grads) {
                        if let input, let gi { input.accumulate(gi) }
                    }
                }
                // Free the graph as we go: interior gradients, saved tensors and edges.
                node.grad = nil
                node.backward = nil
                node.inputs = []
                node.released = true
            }
        }
    }

    /// Nodes in an order where every node comes after all of its inputs.
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: GradNode, expanded: Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for case let input? in node.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}

extension Tensor {
    /// Replaces the gradient collected in this leaf (for clipping and other rescaling).
    public func setGrad(_ newGrad: Tensor?) {
        guard let node else { fatalError("setGrad: the tensor is not a leaf that collects gradients") }
        if let newGrad {
            require(
                newGrad.shape == node.shape,
                "setGrad: gradient of shape \(Shape.describe(newGrad.shape)) for a tensor of shape \(Shape.describe(node.shape))"
            )
        }
        node.grad = newGrad?.detached()
    }
}
