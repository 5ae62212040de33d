import Settings

/// `synthetic`: the built-in benchmark, generated in memory from its settings (no files).
/// Its own training, validation and test splits; either task.
public enum SyntheticDataset: DatasetProvider {
    public static let name = "synthetic"
    public static let summary = "the built-in synthetic HOI benchmark, generated in memory (no --data)"
    public static let tasks = [TaskKind.video.rawValue, TaskKind.entity.rawValue]

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
        let task = TaskKind(rawValue: request.task ?? tasks[0]) ?? .video
        let s = generator(request)
        let train = try SyntheticHOI.dataset(s, split: .train, task: task)
        let test = try SyntheticHOI.dataset(s, split: .test, task: task)
        return DataSplits(
            info: train.info, train: train, validation: try SyntheticHOI.dataset(s, split: .validation, task: task),
            test: test, all: test, description: "synthetic \(task.rawValue) \(s.json)")
    }
}
