import Foundation
import Settings

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
    /// The folds `--fold k` can hold out (the subjects of leave-one-subject-out), if any.
    public let folds: [Int]

    public init(
        info: DatasetInfo, train: Dataset, validation: Dataset?, test: Dataset?, all: Dataset, description: String,
        folds: [Int] = []
    ) {
        self.folds = folds
        self.info = info
        self.train = train
        self.validation = validation
        self.test = test
        self.all = all
        self.description = description
    }
}

/// One data set the tools know by name: how its files are read and how its clips are split.
/// A new data set is one type conforming to this protocol and one line in `Catalogues.datasets`.
/// Its `name` is the `--dataset` value; its `summary` (one line for `--help`) says what `--data` names.
public protocol DatasetProvider: Named, SendableMetatype {
    /// The tasks it serves (`--task` values); the first is the default.
    static var tasks: [String] { get }
    /// The settings it reads besides `--dataset` (`DataSettings`, or its own declarations); any
    /// other data setting given with it is refused.
    static var settings: [any AnySetting] { get }
    /// The best configuration measured for each task (a `Recipe`: the options a study chose),
    /// laid under the options a user gives; none by default.
    static var recipes: [String: Recipe] { get }
    /// For a task whose model may not see the whole video (online, anticipation), the task
    /// whose model does, over the same clips: what `--teacher auto` trains first. None by default.
    static var teacherTasks: [String: String] { get }
    /// What is wrong with `request` for this data set before anything is read (a missing
    /// `--data`, …), each problem naming its option; empty when it can be loaded.
    static func problems(in request: DataRequest) -> [String]
    /// Reads (or generates) the clips and splits them.
    static func load(_ request: DataRequest) throws -> DataSplits
}

extension DatasetProvider {
    public static var tasks: [String] { [TaskKind.entity.rawValue] }
    public static var recipes: [String: Recipe] { [:] }
    public static var teacherTasks: [String: String] { [:] }

    /// Every setting a request for this data set may hold.
    public static var allSettings: [any AnySetting] {
        [DataSettings.dataset, DataSettings.task] + settings + [DataSettings.videoID]
    }

    /// The recipe of `task` (nil: the first task), if the data set has one.
    public static func recipe(task: String?) -> Recipe? { recipes[task ?? tasks.first ?? ""] }

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
