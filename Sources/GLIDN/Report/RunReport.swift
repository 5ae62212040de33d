import Autograd
import Foundation
import HOIData
import NN
import Settings

/// The HTML report of training runs (`glidn report`): each run folder's curves from
/// `metrics.jsonl`, and its `best.safetensors` scored again on the data it was trained for.
public struct RunReport {
    public private(set) var results: [RunResult] = []
    public private(set) var attention: [(run: String, examples: [AttentionExample])] = []
    public private(set) var info: DatasetInfo?
    /// The split each added run was scored on.
    public private(set) var splits: [String] = []

    public init() {}

    /// Scores the run in `folder` on `split` of its data (default: the held-out part, test else
    /// validation: `ScoringData.choose`) and adds it; returns the run's name, the split scored
    /// and its evaluation.
    @discardableResult
    public mutating func add(folder url: URL, split: SplitChoice? = nil) throws -> (
        name: String, split: String, evaluation: Evaluation
    ) {
        let best = url.appendingPathComponent(TrainingRun.bestFile)
        if let kind = InputFile.kind(of: url.path), kind != "a folder" {
            throw SettingError(
                "\(url.path) is \(kind): report takes run folders (what `glidn train --output` writes); for one checkpoint, use `glidn evaluate --checkpoint`"
            )
        }
        guard InputFile.kind(of: best.path) != nil else {
            throw SettingError("\(url.path) is not a run folder: it has no \(TrainingRun.bestFile)")
        }
        let checkpoint = try CheckpointScoring(best)
        let history = try Self.history(url.appendingPathComponent(TrainingRun.metricsFile))
        guard let recorded = checkpoint.storedData else {
            throw SettingError(
                "\(best.path) does not record its data (written before data settings were stored): evaluate it with `glidn evaluate`"
            )
        }
        let data = try checkpoint.data(given: recorded)
        let loaded = data.splits
        if let info, info.task != loaded.info.task || info.name != loaded.info.name {
            throw SettingError(
                "\(url.path) was trained on \(loaded.info.name) (\(loaded.info.task.rawValue) task), the runs before it on \(info.name) (\(info.task.rawValue) task): one report compares runs on the same data"
            )
        }
        try checkpoint.check(loaded.info)
        let choice = try data.choose(split)
        let (splitName, clips) = (
            choice.includesTrainingData ? "\(choice.name), with training data" : choice.name, choice.clips
        )
        let model = checkpoint.model
        let (evaluation, _) = try Evaluator.run(model, on: clips, orderPairs: loaded.info.orderPairs)
        let options = (try? TrainingRun.stored(in: url))?.options ?? TrainingOptions()
        let name = url.lastPathComponent
        results.append(
            RunResult(
                spec: RunSpec(name: name, config: model.config, options: options), parameters: model.parameterCount,
                bestEpoch: checkpoint.metadata["epoch"].flatMap(Int.init) ?? history.count, history: history,
                test: evaluation, trainingSeconds: history.reduce(0) { $0 + $1.seconds }, checkpoint: best))
        let examples = try AttentionExample.collect(
            model: model, clips: try (0..<min(4, clips.count)).map { try clips.clip(at: $0) },
            info: loaded.info)
        if !examples.isEmpty { attention.append((name, examples)) }
        info = info ?? loaded.info
        splits.append(splitName)
        return (name, splitName, evaluation)
    }

    /// The report as HTML, or nil before any run was added.
    public func html(title: String, command: String) -> String? {
        guard let info else { return nil }
        return HTMLReport(
            title: title, command: command, info: info, results: results, attention: attention,
            split: Set(splits).count == 1 ? splits[0] : splits.joined(separator: ", ")
        ).render()
    }

    /// A run's `metrics.jsonl`: one epoch record per line.
    public static func history(_ url: URL) throws -> [EpochRecord] {
        let text = try InputFile.text(of: url)
        return try text.split(separator: "\n").enumerated().map { line, json in
            guard let record = try? JSONDecoder().decode(EpochRecord.self, from: Data(json.utf8)) else {
                throw SettingError("\(url.path) line \(line + 1) is not an epoch record")
            }
            return record
        }
    }
}
