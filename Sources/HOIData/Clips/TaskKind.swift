import Settings

/// One group of labels a task predicts: what it labels (each clip, or each node: a segment's
/// entity), whether several classes may hold at once, how the model reads it out and which
/// entities carry it. Heads, losses, distillation, metrics and predictions work from these
/// properties, group by group; nothing in the code asks which task it is.
public struct LabelGroupSpec: Sendable, Equatable {
    /// What a row of the group's labels is.
    public enum Rows: Sendable, Equatable {
        /// One row per clip.
        case clip
        /// One row per node: each (segment, entity) of a clip.
        case node
    }

    /// How a branch's classifier reads the group from the branch's node states.
    public enum Readout: Sendable, Equatable {
        /// [mean ; max] of the states over the clip's entities (clip rows).
        case pooled
        /// The node's own state.
        case node
        /// The node's state joined with the mean state of its segment's human nodes.
        case nodeWithHumans
    }

    /// Which entities carry labels of the group (node rows), for predictions.
    public enum Carriers: Sendable, Equatable { case all, humans, objects }

    public let name: String
    public let multiLabel: Bool
    public let rows: Rows
    public let readout: Readout
    public let carriers: Carriers
    /// The model configuration's key for the group's number of classes.
    public let countKey: String
    /// The data description's key for the group's class names.
    public let namesKey: String
    /// The reference files' input holding the group's labels (`input.<key>`).
    public let referenceKey: String
    /// How metrics name the group (`sub_activity_f1`) and reports title it ("sub-activity").
    public let metricName: String
    public let title: String

    public init(
        name: String, multiLabel: Bool, rows: Rows, readout: Readout, carriers: Carriers, countKey: String,
        namesKey: String,
        referenceKey: String, metricName: String? = nil, title: String? = nil
    ) {
        (self.name, self.multiLabel, self.rows, self.readout, self.carriers) = (
            name, multiLabel, rows, readout, carriers
        )
        (self.countKey, self.namesKey, self.referenceKey) = (countKey, namesKey, referenceKey)
        self.metricName = metricName ?? name
        self.title = title ?? name
    }
}

/// A task: the label groups a model of it predicts. A new task is one file declaring its groups
/// (`Tasks/`) and one line in `Catalogues.tasks`.
public protocol TaskLayout: Named {
    static var groups: [LabelGroupSpec] { get }
}

extension Catalogues {
    /// Every task a model can be trained for, by the name configurations store (`task`).
    public static let tasks = Catalogue<any TaskLayout.Type>(
        option: "task",
        [
            VideoTask.self,
            EntityTask.self,
        ])
}

/// The task of a model or a data set, by name (`video`, `entity`); its label groups come from
/// its declaration (`TaskLayout`).
public struct TaskKind: RawRepresentable, Codable, Hashable, Sendable, CaseIterable {
    public let rawValue: String

    /// A declared task's name, else nil.
    public init?(rawValue: String) {
        guard Catalogues.tasks.entry(named: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let task = TaskKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "unknown task '\(name)' (known: \(Catalogues.tasks.names.joined(separator: ", ")))"))
        }
        self = task
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public static var allCases: [TaskKind] { Catalogues.tasks.names.compactMap(TaskKind.init(rawValue:)) }

    /// The label groups of the task, in the order the model predicts them.
    public var groups: [LabelGroupSpec] { Catalogues.tasks.entry(named: rawValue)?.groups ?? [] }

    /// The group named `name`, if the task has it.
    public func group(_ name: String) -> LabelGroupSpec? { groups.first { $0.name == name } }

    /// Whether the task labels whole clips only (its global graph spans one segment).
    public var labelsClipsOnly: Bool { groups.allSatisfy { $0.rows == .clip } }

    /// The name of the metric model selection maximises: mAP when a group is multi-label, else
    /// the mean macro-F1 of the single-label groups.
    public var headlineMetric: String { groups.contains { $0.multiLabel } ? "mAP" : "mean_f1" }
}
