import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn evaluate`: metrics and a per-class table of a checkpoint on a data set.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a checkpoint: metrics and a per-class table.")

    @OptionGroup(title: "Checkpoint") var checkpoint: CheckpointOptions
    @OptionGroup(title: "Data") var data: DataOptions

    @Flag(help: "Print the metrics as one JSON object instead of tables.")
    var json = false

    @Option(help: "Write the metrics as one JSON object to this file (atomically) instead of printing them.")
    var output: String?

    func run() throws {
        if let output {
            try OutputCheck.file(output, option: "--output", inputs: [checkpoint.checkpoint, data.data, data.annotations, data.testAnnotations])
        }
        let (model, metadata) = try checkpoint.loadModel()
        let loaded = try checkpoint.data(data, metadata: metadata)
        try checkpoint.check(model, against: loaded.info)
        let (splitName, clips) = try checkpoint.pick(loaded)
        let (evaluation, _) = try Evaluator.run(model, on: clips, batchSize: checkpoint.batchSize, orderPairs: loaded.info.orderPairs)
        if let output {
            try AtomicFile.write(TrainingRun.json(evaluation.metrics) + "\n", to: URL(fileURLWithPath: output))
            return
        }
        if json {
            print(TrainingRun.json(evaluation.metrics))
            return
        }
        print("\(checkpoint.checkpoint) on \(clips.count) \(loaded.info.name) clips (\(splitName))")
        print(MetricsTable.summary(evaluation))
        print(MetricsTable.perClass(evaluation, info: loaded.info))
    }
}
