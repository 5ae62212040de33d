import Autograd

/// The names of the label groups the declared tasks predict (`Tasks/`): `actions` (video),
/// `subactivity` and `affordance` (entity).
public enum LabelGroup {
    public static let actions = "actions"
    public static let subactivity = "subactivity"
    public static let affordance = "affordance"
}

/// The labels of one group, row by row.
public enum LabelTargets {
    /// Multi-label: a multi-hot matrix [rows, classes].
    case multiHot(Tensor)
    /// Single-label: one class index per row, -1 where the row has no label.
    case classes([Int])

    /// Rows that carry a label (every row of a multi-label group).
    public var labelledRows: [Bool] {
        switch self {
        case .multiHot(let y): return Array(repeating: true, count: y.rank > 0 ? y.shape[0] : 0)
        case .classes(let c): return c.map { $0 >= 0 }
        }
    }
}

/// What a batch is trained against: its label groups, in the order the model predicts them.
public struct Targets {
    public let groups: [(name: String, labels: LabelTargets)]

    public init(groups: [(name: String, labels: LabelTargets)]) { self.groups = groups }

    public subscript(name: String) -> LabelTargets? { groups.first { $0.name == name }?.labels }
}
