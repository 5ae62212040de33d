/// `entity` (CAD-120): per node, the human's sub-activity and the object's affordance.
public enum EntityTask: TaskLayout {
    public static let name = "entity"
    public static let summary =
        "per segment and entity, the sub-activity of humans and the affordance of objects (single-label)"
    public static let groups = [
        LabelGroupSpec(
            name: LabelGroup.subactivity, multiLabel: false, rows: .node, readout: .node, carriers: .humans,
            countKey: "subactivities", namesKey: "subactivityNames", referenceKey: "human_labels",
            metricName: "sub_activity",
            title: "sub-activity"),
        LabelGroupSpec(
            name: LabelGroup.affordance, multiLabel: false, rows: .node, readout: .nodeWithHumans, carriers: .objects,
            countKey: "affordances", namesKey: "affordanceNames", referenceKey: "object_labels", title: "affordance"),
    ]
}

extension TaskKind {
    public static let entity = TaskKind(rawValue: EntityTask.name)!
}

extension ClipLabels {
    /// Per segment and entity ([S, N], row-major), the sub-activity (humans) and the affordance
    /// (objects); -1 = none.
    public static func entity(human: [Int], object: [Int]) -> ClipLabels {
        ClipLabels([LabelGroup.subactivity: .perNode(human), LabelGroup.affordance: .perNode(object)])
    }

    /// The sub-activity and affordance labels of an entity-task clip, else nil.
    public var entity: (human: [Int], object: [Int])? {
        guard case .perNode(let h)? = groups[LabelGroup.subactivity],
            case .perNode(let o)? = groups[LabelGroup.affordance]
        else { return nil }
        return (h, o)
    }
}

extension Targets {
    /// Flattened [B·S·N]: sub-activity of humans and affordance of objects, -1 = none.
    public static func entity(human: [Int], object: [Int]) -> Targets {
        Targets(groups: [(LabelGroup.subactivity, .classes(human)), (LabelGroup.affordance, .classes(object))])
    }
}
