/// What a data set holds, as the model needs to know it.
public struct DatasetInfo: Codable, Sendable, Equatable {
    public var name: String
    public var task: TaskKind
    public var featureSize: Int
    /// Names of entity categories (index = category); person included.
    public var categoryNames: [String]
    /// Video task: action class names.
    public var classNames: [String]
    /// Entity task: sub-activity and affordance names.
    public var subactivityNames: [String]
    public var affordanceNames: [String]
    /// Video task: pairs of action classes that are each other's time reversal ("put into" /
    /// "take out of"); evaluation reports how well a model tells them apart. Often empty.
    public var timeReversedPairs: [ClassPair]
    /// What the clips are: single segments, or whole videos of segments whose labels may use
    /// the whole video (`video`) or only the segments so far (`causal`, anticipation).
    public var temporalContext: TemporalContext

    public init(name: String, task: TaskKind, featureSize: Int, categoryNames: [String],
                classNames: [String] = [], subactivityNames: [String] = [], affordanceNames: [String] = [],
                timeReversedPairs: [ClassPair] = [], temporalContext: TemporalContext = .clip) {
        self.name = name
        self.task = task
        self.featureSize = featureSize
        self.categoryNames = categoryNames
        self.classNames = classNames
        self.subactivityNames = subactivityNames
        self.affordanceNames = affordanceNames
        self.timeReversedPairs = timeReversedPairs
        self.temporalContext = temporalContext
    }

    enum CodingKeys: String, CodingKey {
        case name, task, featureSize, categoryNames, classNames, subactivityNames, affordanceNames, timeReversedPairs, temporalContext
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), task: try c.decode(TaskKind.self, forKey: .task),
                  featureSize: try c.decode(Int.self, forKey: .featureSize),
                  categoryNames: try c.decode([String].self, forKey: .categoryNames),
                  classNames: try c.decodeIfPresent([String].self, forKey: .classNames) ?? [],
                  subactivityNames: try c.decodeIfPresent([String].self, forKey: .subactivityNames) ?? [],
                  affordanceNames: try c.decodeIfPresent([String].self, forKey: .affordanceNames) ?? [],
                  timeReversedPairs: try c.decodeIfPresent([ClassPair].self, forKey: .timeReversedPairs) ?? [],
                  temporalContext: try c.decodeIfPresent(TemporalContext.self, forKey: .temporalContext) ?? .clip)
    }

    /// The pairs as index tuples, for metrics.
    public var orderPairs: [(Int, Int)] { timeReversedPairs.map { ($0.first, $0.second) } }
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
        return try Batch.collate(clips, classes: info.classNames.count)
    }
}
