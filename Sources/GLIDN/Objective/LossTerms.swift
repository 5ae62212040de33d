import Autograd

/// One named term of the training loss: the total is Σ weight · value over the terms, in order.
public struct LossTerm {
    public let name: String
    public let value: Tensor
    public let weight: Float

    public init(name: String, value: Tensor, weight: Float = 1) {
        self.name = name
        self.value = value
        self.weight = weight
    }
}

/// The loss of one batch as its ordered, named terms and their weighted sum.
public struct LossTerms {
    public let terms: [LossTerm]
    public let total: Tensor

    public init(terms: [LossTerm]) {
        self.terms = terms
        // Left to right, weight-1 terms added as they are: the same arithmetic, bit for bit,
        // as writing the sum out by hand.
        var total: Tensor?
        for term in terms {
            let weighted = term.weight == 1 ? term.value : term.value * term.weight
            total = total.map { $0 + weighted } ?? weighted
        }
        self.total = total ?? Tensor(0)
    }

    public static let totalName = "total"

    /// Each term's (unweighted) value by name, and the weighted total as `total`.
    public var values: [String: Float] {
        var v = Dictionary(uniqueKeysWithValues: terms.map { ($0.name, $0.value.scalar) })
        v[Self.totalName] = total.scalar
        return v
    }

    /// The term names in order, then `total`.
    public var names: [String] { terms.map(\.name) + [Self.totalName] }
}
