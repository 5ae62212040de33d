import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn evaluate`: metrics and a per-class table of a checkpoint on a data set.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a checkpoint: metrics and a per-class table.",
        discussion: SettingsHelpText.discussion(
            .dataOnly, intro: "Without data settings, the data the checkpoint was trained on."))

    @OptionGroup var checkpoint: CheckpointArguments

    @Flag(help: "Print the metrics as one JSON object instead of tables.")
    var json = false

    @Option(help: "Write the metrics as one JSON object to this file (atomically) instead of printing them.")
    var output: String?

    func run() throws {
        if let output { try OutputCheck.file(output, option: "--output", inputs: checkpoint.inputs) }
        let (scoring, info, splitName, clips) = try checkpoint.open(otherOptions: ["json", "output"])
        let (evaluation, _) = try Evaluator.run(
            scoring.model, on: clips, batchSize: checkpoint.batchSize, orderPairs: info.orderPairs)
        if let output {
            try AtomicFile.write(TrainingRun.json(evaluation.metrics) + "\n", to: URL(fileURLWithPath: output))
            return
        }
        if json {
            print(TrainingRun.json(evaluation.metrics))
            return
        }
        print("\(checkpoint.checkpoint) on \(clips.count) \(info.name) clips (\(splitName))")
        print(MetricsTable.summary(evaluation))
        print(MetricsTable.perClass(evaluation, info: info))
    }
}
