import Autograd

/// The names of the label groups a task predicts. A video-task model predicts one group,
/// `actions` (multi-label, one row per clip); an entity-task model predicts two, `subactivity`
/// (one label per human entity) and `affordance` (one per object entity), both single-label
/// with one row per entity. Heads, losses, distillation and metrics work group by group.
public enum LabelGroup {
    public static let actions = "actions"
    public static let subactivity = "subactivity"
    public static let affordance = "affordance"

    /// How metrics name a group: `sub_activity_f1`, `affordance_accuracy`, …
    public static func metricName(_ group: String) -> String { group == subactivity ? "sub_activity" : group }
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

    /// Video task: multi-hot action classes [B, C].
    public static func video(_ multiHot: Tensor) -> Targets {
        Targets(groups: [(LabelGroup.actions, .multiHot(multiHot))])
    }

    /// Entity task, flattened [B·N]: sub-activity of humans and affordance of objects, -1 = none.
    public static func entity(human: [Int], object: [Int]) -> Targets {
        Targets(groups: [(LabelGroup.subactivity, .classes(human)), (LabelGroup.affordance, .classes(object))])
    }

    public subscript(name: String) -> LabelTargets? { groups.first { $0.name == name }?.labels }
}
