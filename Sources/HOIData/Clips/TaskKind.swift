/// The two tasks: one multi-label vector per clip (Charades, the synthetic benchmark),
/// or a label per entity (CAD-120: sub-activity of humans, affordance of objects).
public enum TaskKind: String, Codable, CaseIterable, Sendable {
    case video
    case entity
}
