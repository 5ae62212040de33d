/// `synthetic`: the built-in benchmark, generated in memory from `DataRequest.synthetic`
/// (no files). Its own training, validation and test splits; either task.
public enum SyntheticDataset: DatasetProvider {
    public static let name = "synthetic"
    public static let summary = "the built-in synthetic HOI benchmark, generated in memory (no --data)"
    public static let tasks = [TaskKind.video.rawValue, TaskKind.entity.rawValue]

    public static func problems(in request: DataRequest) -> [String] {
        var s = request.synthetic
        if let frames = request.frames { s.frames = frames }
        do { try s.validate() } catch { return [error.description] }
        return []
    }

    public static func load(_ request: DataRequest) throws -> DataSplits {
        let task = TaskKind(rawValue: request.task ?? tasks[0]) ?? .video
        var s = request.synthetic
        if let frames = request.frames { s.frames = frames }
        let train = try SyntheticHOI.dataset(s, split: .train, task: task)
        let test = try SyntheticHOI.dataset(s, split: .test, task: task)
        return DataSplits(info: train.info, train: train, validation: try SyntheticHOI.dataset(s, split: .validation, task: task),
                          test: test, all: test, description: "synthetic \(task.rawValue) \(s.json)")
    }
}
