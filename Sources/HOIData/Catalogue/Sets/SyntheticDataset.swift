import Settings

/// `synthetic`: the built-in benchmark, generated in memory from its settings (no files).
/// Its own training, validation and test splits; either task.
public enum SyntheticDataset: DatasetProvider {
    public static let name = "synthetic"
    public static let summary = "the built-in synthetic HOI benchmark, generated in memory (no --data)"
    /// `online`: the video task from prefixes, each clip at 25, 50, 75 and 100 % of its frames
    /// (`PrefixClips`), scored against the whole clip's actions (prefix mAP).
    public static let tasks = [TaskKind.video.rawValue, TaskKind.entity.rawValue, online]
    public static let online = "online"
    public static let prefixFractions = [0.25, 0.5, 0.75, 1.0]
    /// An online model learns from one that has seen the whole clip.
    public static let teacherTasks = [online: TaskKind.video.rawValue]

    private static let standard = SyntheticSettings()
    public static let trainClips = Setting<Int>(
        "train-clips", default: standard.trainClips, help: "Training clips", check: .atLeast(0))
    public static let validationClips = Setting<Int>(
        "validation-clips", default: standard.validationClips, help: "Validation clips", check: .atLeast(0))
    public static let testClips = Setting<Int>(
        "test-clips", default: standard.testClips, help: "Test clips", check: .atLeast(0))
    public static let frames = Setting<Int>(
        "frames", default: standard.frames, help: "Frames per clip", check: .within(1...10_000))
    public static let maxActions = Setting<Int>(
        "max-actions", default: standard.maxActions, help: "The most actions a clip shows", check: .within(1...3))
    public static let featureSize = Setting<Int>(
        "feature-size", default: standard.featureSize, help: "Appearance feature size", check: .within(1...65536))
    public static let featureNoise = Setting<Float>(
        "feature-noise", default: standard.featureNoise, help: "Per-frame appearance noise, a standard deviation",
        check: .within(0...1e6))
    public static let dataSeed = Setting<UInt64>(
        "data-seed", default: standard.seed, help: "Seed of the generated clips")
    public static let settings: [any AnySetting] = [
        trainClips, validationClips, testClips, frames, maxActions, featureSize, featureNoise,
        dataSeed,
    ]

    /// The generator's settings a request asks for.
    public static func generator(_ request: DataRequest) -> SyntheticSettings {
        var s = SyntheticSettings()
        (s.trainClips, s.validationClips, s.testClips) = (
            request[trainClips], request[validationClips], request[testClips]
        )
        (s.frames, s.maxActions, s.featureSize) = (request[frames], request[maxActions], request[featureSize])
        (s.featureNoise, s.seed) = (request[featureNoise], request[dataSeed])
        return s
    }

    public static func problems(in request: DataRequest) -> [String] {
        do { try generator(request).validate() } catch { return [error.description] }
        return []
    }

    public static func load(_ request: DataRequest) throws -> DataSplits {
        let prefixes = request.task == online
        let task = TaskKind(rawValue: request.task ?? tasks[0]) ?? .video
        let s = generator(request)
        func split(_ which: SyntheticHOI.Split) throws -> Dataset {
            let whole = try SyntheticHOI.dataset(s, split: which, task: task)
            guard prefixes else { return whole }
            return Dataset(info: whole.info, source: PrefixClips(base: whole.source, fractions: prefixFractions))
        }
        let (train, test) = (try split(.train), try split(.test))
        return DataSplits(
            info: train.info, train: train, validation: try split(.validation), test: test, all: test,
            description: "synthetic \(prefixes ? online : task.rawValue) \(s.json)")
    }
}
