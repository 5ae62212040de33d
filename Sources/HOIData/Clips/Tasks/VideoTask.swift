import Autograd

/// `video` (Charades, the synthetic benchmark): the actions of a clip, several at once.
public enum VideoTask: TaskLayout {
    public static let name = "video"
    public static let summary = "the actions of each clip (multi-label)"
    public static let groups = [
        LabelGroupSpec(
            name: LabelGroup.actions, multiLabel: true, rows: .clip, readout: .pooled, carriers: .all,
            countKey: "classes",
            namesKey: "classNames", referenceKey: "labels", title: "action")
    ]
}

extension TaskKind {
    public static let video = TaskKind(rawValue: VideoTask.name)!
}

extension ClipLabels {
    /// The action classes that occur in the clip.
    public static func video(classes: [Int]) -> ClipLabels { ClipLabels([LabelGroup.actions: .present(classes)]) }

    /// The action classes of a video-task clip, else nil.
    public var actions: [Int]? {
        if case .present(let c)? = groups[LabelGroup.actions] { return c }
        return nil
    }
}

extension Targets {
    /// Multi-hot action classes [B, C].
    public static func video(_ multiHot: Tensor) -> Targets {
        Targets(groups: [(LabelGroup.actions, .multiHot(multiHot))])
    }
}
