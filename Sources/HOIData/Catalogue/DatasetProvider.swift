import Foundation

/// What a caller (the command line, a test, a script) asks of a data set. Each data set reads
/// the fields it uses and says which of them it needs (`DatasetProvider.problems`).
public struct DataRequest: Sendable {
    /// The data set's file or folder (`--data`).
    public var data: URL?
    /// Annotation files (`--annotations`, `--test-annotations`), for data sets whose labels live apart.
    public var annotations: URL?
    public var testAnnotations: URL?
    /// A list of video ids, one per line (`--ids`): unlabelled videos to predict for.
    public var ids: URL?
    /// The fraction of whole videos (of the training subjects, with a fold) held out for validation.
    public var validationFraction = 0.2
    /// The seed of that split.
    public var splitSeed: UInt64 = 0
    /// Leave-one-subject-out: the subject held out as the test set.
    public var fold: Int?
    /// Leave out videos whose files are missing instead of stopping.
    public var skipMissing = false
    /// One of the data set's tasks (`DatasetProvider.tasks`); nil for its first.
    public var task: String?
    /// Frames per clip, or per segment of a whole video; nil for the data set's own default.
    public var frames: Int?
    /// The generator's settings, for generated data.
    public var synthetic = SyntheticSettings()

    public init() {}
}

/// A data set read from files (or generated), split into training, validation and test clips.
public struct DataSplits: Sendable {
    public let info: DatasetInfo
    public let train: Dataset
    public let validation: Dataset?
    public let test: Dataset?
    /// Every clip (e.g. for a file never seen in training).
    public let all: Dataset
    /// What was read and how it was split: stored in resume files, so that resuming on other
    /// data is refused.
    public let description: String

    public init(info: DatasetInfo, train: Dataset, validation: Dataset?, test: Dataset?, all: Dataset, description: String) {
        self.info = info
        self.train = train
        self.validation = validation
        self.test = test
        self.all = all
        self.description = description
    }
}

/// One data set the tools know by name: how its files are read and how its clips are split.
/// A new data set is one type conforming to this protocol and one line in `DatasetCatalogue`.
public protocol DatasetProvider {
    /// The `--dataset` value.
    static var name: String { get }
    /// One line for `--help`: what the data set is and what `--data` names.
    static var summary: String { get }
    /// The tasks it serves (`--task` values); the first is the default.
    static var tasks: [String] { get }
    /// What is wrong with `request` for this data set before anything is read (a missing
    /// `--data`, …), each problem naming its option; empty when it can be loaded.
    static func problems(in request: DataRequest) -> [String]
    /// Reads (or generates) the clips and splits them.
    static func load(_ request: DataRequest) throws -> DataSplits
}

extension DatasetProvider {
    public static var tasks: [String] { [TaskKind.entity.rawValue] }

    /// The common need of file-based data sets: `--data`.
    public static func problems(in request: DataRequest) -> [String] {
        request.data == nil ? ["--dataset \(name) needs --data (\(summary))"] : []
    }
}

/// Data that cannot be loaded as asked, and why.
public struct DataRequestError: Error, CustomStringConvertible, Equatable {
    public let problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}
