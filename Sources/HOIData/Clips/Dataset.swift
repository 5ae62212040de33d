/// What a data set holds, as the model needs to know it.
public struct DatasetInfo: Codable, Sendable, Equatable {
    public var name: String
    public var task: TaskKind
    public var featureSize: Int
    /// Names of entity categories (index = category); person included.
    public var categoryNames: [String]
    /// Per label group of the task (by group name), its class names.
    public var labelNames: [String: [String]]
    /// Pairs of action classes that are each other's time reversal ("put into" / "take out
    /// of"); evaluation reports how well a model tells them apart. Often empty.
    public var timeReversedPairs: [ClassPair]
    /// What the clips are: single segments, or whole videos of segments whose labels may use
    /// the whole video (`video`) or only the segments so far (`causal`, anticipation).
    public var temporalContext: TemporalContext
    /// How the features were made from videos, if they were (the settings of `glidn extract`,
    /// JSON): a checkpoint trained on them extracts new videos the same way, wherever it goes.
    public var featureExtraction: String?
    /// Whether a segment's labels are the next segment's (anticipation) rather than its own
    /// (detection, online detection); nil in checkpoints written before it was stored.
    public var labelsOfNextSegment: Bool?

    public init(
        name: String, task: TaskKind, featureSize: Int, categoryNames: [String], labelNames: [String: [String]],
        timeReversedPairs: [ClassPair] = [], temporalContext: TemporalContext = .clip
    ) {
        (self.name, self.task, self.featureSize, self.categoryNames) = (name, task, featureSize, categoryNames)
        (self.labelNames, self.timeReversedPairs, self.temporalContext) = (
            labelNames, timeReversedPairs, temporalContext
        )
    }

    /// A data set of the video or entity task, its classes named group by group.
    public init(
        name: String, task: TaskKind, featureSize: Int, categoryNames: [String],
        classNames: [String] = [], subactivityNames: [String] = [], affordanceNames: [String] = [],
        timeReversedPairs: [ClassPair] = [], temporalContext: TemporalContext = .clip
    ) {
        let byGroup = [
            LabelGroup.actions: classNames, LabelGroup.subactivity: subactivityNames,
            LabelGroup.affordance: affordanceNames,
        ]
        self.init(
            name: name, task: task, featureSize: featureSize, categoryNames: categoryNames,
            labelNames: Dictionary(uniqueKeysWithValues: task.groups.map { ($0.name, byGroup[$0.name] ?? []) }),
            timeReversedPairs: timeReversedPairs, temporalContext: temporalContext)
    }

    /// The class names of `group`.
    public func names(_ group: LabelGroupSpec) -> [String] { labelNames[group.name] ?? [] }

    /// The task's label groups with their numbers of classes, for collating labels.
    public var labelGroups: [(spec: LabelGroupSpec, classes: Int)] { task.groups.map { ($0, names($0).count) } }

    public var classNames: [String] { labelNames[LabelGroup.actions] ?? [] }
    public var subactivityNames: [String] { labelNames[LabelGroup.subactivity] ?? [] }
    public var affordanceNames: [String] { labelNames[LabelGroup.affordance] ?? [] }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let name = Key("name"), task = Key("task"), featureSize = Key("featureSize"),
            categoryNames = Key("categoryNames")
        static let timeReversedPairs = Key("timeReversedPairs"), temporalContext = Key("temporalContext")
        static let featureExtraction = Key("featureExtraction")
        static let labelsOfNextSegment = Key("labelsOfNextSegment")
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let task = try c.decode(TaskKind.self, forKey: .task)
        var names: [String: [String]] = [:]
        for group in task.groups {
            names[group.name] = try c.decodeIfPresent([String].self, forKey: Key(group.namesKey)) ?? []
        }
        self.init(
            name: try c.decode(String.self, forKey: .name), task: task,
            featureSize: try c.decode(Int.self, forKey: .featureSize),
            categoryNames: try c.decode([String].self, forKey: .categoryNames), labelNames: names,
            timeReversedPairs: try c.decodeIfPresent([ClassPair].self, forKey: .timeReversedPairs) ?? [],
            temporalContext: try c.decodeIfPresent(TemporalContext.self, forKey: .temporalContext) ?? .clip)
        featureExtraction = try c.decodeIfPresent(String.self, forKey: .featureExtraction)
        labelsOfNextSegment = try c.decodeIfPresent(Bool.self, forKey: .labelsOfNextSegment)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: .name)
        try c.encode(task, forKey: .task)
        try c.encode(featureSize, forKey: .featureSize)
        try c.encode(categoryNames, forKey: .categoryNames)
        for group in task.groups { try c.encode(names(group), forKey: Key(group.namesKey)) }
        try c.encode(timeReversedPairs, forKey: .timeReversedPairs)
        try c.encode(temporalContext, forKey: .temporalContext)
        try c.encodeIfPresent(featureExtraction, forKey: .featureExtraction)
        try c.encodeIfPresent(labelsOfNextSegment, forKey: .labelsOfNextSegment)
    }

    /// The pairs as index tuples, for metrics.
    public var orderPairs: [(Int, Int)] { timeReversedPairs.map { ($0.first, $0.second) } }

    /// The task as people name it: `detection`, `anticipation` or `online detection` for
    /// per-entity labels of whole videos, else the task's own name (`video`).
    public var taskTitle: String {
        guard task == .entity else { return task.rawValue }
        guard temporalContext == .causal else { return "detection" }
        return labelsOfNextSegment == false ? "online detection" : "anticipation"
    }
}

/// Two class indices.
public struct ClassPair: Codable, Sendable, Equatable {
    public let first: Int
    public let second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }
}

/// Where clips come from: memory, or files read on demand.
public protocol ClipSource: Sendable {
    var count: Int { get }
    func clip(at index: Int) throws -> Clip
}

/// Clips held in memory.
public struct ClipArray: ClipSource {
    public let clips: [Clip]
    public init(_ clips: [Clip]) { self.clips = clips }
    public var count: Int { clips.count }
    public func clip(at index: Int) throws -> Clip { clips[index] }
}

/// A view of some positions of another source.
struct ClipSubset: ClipSource {
    let base: any ClipSource
    let indices: [Int]
    var count: Int { indices.count }
    func clip(at index: Int) throws -> Clip { try base.clip(at: indices[index]) }
}

/// A data set: its description and its clips.
public struct Dataset: Sendable {
    public let info: DatasetInfo
    public let source: any ClipSource

    public init(info: DatasetInfo, source: any ClipSource) {
        self.info = info
        self.source = source
    }

    public init(info: DatasetInfo, clips: [Clip]) {
        self.init(info: info, source: ClipArray(clips))
    }

    public var count: Int { source.count }

    public func clip(at index: Int) throws -> Clip { try source.clip(at: index) }

    /// The clips at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        Dataset(info: info, source: ClipSubset(base: source, indices: indices))
    }

    /// Collates the clips at `indices` into a batch.
    public func batch(_ indices: [Int]) throws -> Batch {
        let clips = try indices.map { try clip(at: $0) }
        return try Batch.collate(clips, labels: info.labelGroups)
    }
}
