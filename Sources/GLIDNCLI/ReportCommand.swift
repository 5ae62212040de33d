import ArgumentParser
import Autograd
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn report RUN_DIR…`: the demo's HTML report for any training runs: loss and metric
/// curves from `metrics.jsonl`, and each run's `best.safetensors` scored again on the data
/// it was trained for (per-class scores, confusion matrices for the entity task, local
/// attention where the model has local graphs).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "An HTML report (curves, per-class scores, confusion matrices, attention) of training runs.")

    @Argument(help: "Run folders written by `glidn train` (or by the demo).", completion: .directory)
    var runs: [String]

    @Option(help: "Which clips to score: train, validation, test or all (default: test, else validation, else all).")
    var split: CheckpointOptions.SplitChoice?

    @Option(help: "The report file (written atomically).")
    var output = "report.html"

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run folder") }
    }

    func run() throws {
        try OutputCheck.file(output, option: "--output", inputs: runs.map { $0 + "/" + TrainingRun.bestFile })
        var results: [RunResult] = []
        var attention: [(run: String, examples: [AttentionExample])] = []
        var info: DatasetInfo?
        for folder in runs {
            let url = URL(fileURLWithPath: folder)
            let best = url.appendingPathComponent(TrainingRun.bestFile)
            guard InputFile.kind(of: best.path) != nil else { throw ValidationError("\(folder) is not a run folder: it has no \(TrainingRun.bestFile)") }
            let (model, metadata) = try ModelCheckpoint.load(best)
            let history = try Self.history(url.appendingPathComponent(TrainingRun.metricsFile))
            guard let recorded = DataChoices.stored(in: metadata) else {
                throw ValidationError("\(best.path) does not record its data (written before data options were stored): evaluate it with `glidn evaluate`")
            }
            let loaded = try DataOptions.load(recorded)
            if let info, info.task != loaded.info.task || info.name != loaded.info.name {
                throw ValidationError("\(folder) was trained on \(loaded.info.name) (\(loaded.info.task.rawValue) task), the runs before it on \(info.name) (\(info.task.rawValue) task): one report compares runs on the same data")
            }
            var checkpoint = try CheckpointOptions.parse(["--checkpoint", best.path])
            // Held-out clips: the test split, else the validation split, else every clip.
            checkpoint.split = split ?? (loaded.test != nil ? .test : loaded.validation != nil ? .validation : .all)
            try checkpoint.check(model, against: loaded.info)
            let (splitName, clips) = try checkpoint.pick(loaded)
            let (evaluation, _) = try Evaluator.run(model, on: clips, orderPairs: loaded.info.orderPairs)
            let options = (try? TrainingRun.stored(in: url))?.options ?? TrainingOptions()
            let name = url.lastPathComponent
            print("\(name): \(splitName) \(MetricsTable.summary(evaluation))")
            results.append(RunResult(spec: RunSpec(name: name, config: model.config, options: options), parameters: model.parameterCount,
                                     bestEpoch: metadata["epoch"].flatMap(Int.init) ?? history.count, history: history, test: evaluation,
                                     trainingSeconds: history.reduce(0) { $0 + $1.seconds }, checkpoint: best))
            let examples = try AttentionExample.collect(model: model, clips: try (0..<min(4, clips.count)).map { try clips.clip(at: $0) }, info: loaded.info)
            if !examples.isEmpty { attention.append((name, examples)) }
            info = info ?? loaded.info
        }
        guard let info else { return }
        let command = (["glidn", "report"] + runs).joined(separator: " ")
        let report = HTMLReport(title: "GLIDN report: " + runs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                                command: command, info: info, results: results, attention: attention)
        try AtomicFile.write(report.render(), to: URL(fileURLWithPath: output))
        print("report \(output)")
    }

    /// A run's `metrics.jsonl`: one epoch record per line.
    static func history(_ url: URL) throws -> [EpochRecord] {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw ValidationError("\(error)") }
        return try text.split(separator: "\n").enumerated().map { line, json in
            guard let record = try? JSONDecoder().decode(EpochRecord.self, from: Data(json.utf8)) else {
                throw ValidationError("\(url.path) line \(line + 1) is not an epoch record")
            }
            return record
        }
    }
}
