import Autograd

/// Anything that owns parameters, directly or through sub-modules.
///
/// A module lists its parameters and children under local names; the dotted names
/// of the whole tree (`local.0.att_src`, …) are what checkpoints store, as in
/// PyTorch's `state_dict` and MLX's flattened parameters.
public protocol Module: AnyObject {
    /// This module's own parameters and child modules, in a fixed order.
    var children: [(name: String, child: ModuleChild)] { get }
}

/// One entry under a module: a parameter or a sub-module.
public enum ModuleChild {
    case parameter(Parameter)
    case module(any Module)
}

extension Module {
    /// Every parameter of the tree with its dotted name, depth first in declaration order.
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var out: [(String, Parameter)] = []
        var stack: [(prefix: String, module: any Module)] = [("", self)]
        while let (prefix, module) = stack.popLast() {
            var nested: [(String, any Module)] = []
            for (name, child) in module.children {
                switch child {
                case .parameter(let p): out.append((prefix + name, p))
                case .module(let m): nested.append((prefix + name + ".", m))
                }
            }
            stack.append(contentsOf: nested.reversed())
        }
        return out.map { (name: $0.0, parameter: $0.1) }
    }

    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }

    /// The model's state: its parameters' values by dotted name.
    public func stateDictionary() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.name, $0.parameter.value.detached()) })
    }

    /// Loads values by dotted name. Every parameter must be present with its shape, and
    /// no other name may appear; all problems are reported together.
    public func load(_ state: [String: Tensor], source: String) throws(StateLoadingError) {
        let named = namedParameters()
        var problems: [String] = []
        let known = Set(named.map(\.name))
        for (name, p) in named {
            guard let t = state[name] else {
                problems.append("missing \(name) \(Shape.describe(p.shape))")
                continue
            }
            if t.shape != p.shape {
                problems.append(
                    "\(name) has shape \(Shape.describe(t.shape)), the model needs \(Shape.describe(p.shape))")
            }
        }
        for name in state.keys.sorted() where !known.contains(name) {
            problems.append("unexpected \(name) \(Shape.describe(state[name]!.shape))")
        }
        problems += StateLoadingError.nonFinite(state)
        guard problems.isEmpty else { throw StateLoadingError(source: source, problems: problems) }
        for (name, p) in named { p.assign(state[name]!) }
    }
}

/// A checkpoint or state that does not fit the model, with every mismatch listed.
public struct StateLoadingError: Error, CustomStringConvertible {
    public let source: String
    public let problems: [String]

    public init(source: String, problems: [String]) {
        self.source = source
        self.problems = problems
    }

    /// The tensors of `state` that hold NaN or an infinity, each with where: weights and
    /// optimizer state are finite, so such a value is damage, refused at load.
    static func nonFinite(_ state: [String: Tensor]) -> [String] {
        state.keys.sorted().compactMap { name in
            state[name]!.withUnsafeBufferPointer { v in
                v.firstIndex { !$0.isFinite }.map { "\(name) holds \(v[$0]) at element \($0): a damaged file" }
            }
        }
    }

    public var description: String {
        "\(source) cannot be loaded into the model (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n  "
            + problems.joined(separator: "\n  ")
    }
}
