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

    /// The metrics as one JSON object, with the split scored and whether it includes training data.
    static func json(_ evaluation: Evaluation, _ choice: ScoringData.Choice) -> String {
        let metrics = TrainingRun.json(evaluation.metrics)
        var object = (try? JSONSerialization.jsonObject(with: Data(metrics.utf8))) as? [String: Any] ?? [:]
        object["split"] = choice.name
        object["clips"] = choice.clips.count
        object["includes_training_data"] = choice.includesTrainingData
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(metrics.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    func run() throws {
        if let output { try OutputCheck.file(output, option: "--output", inputs: checkpoint.inputs) }
        let (scoring, info, choice, task) = try checkpoint.open(otherOptions: ["json", "output"])
        let clips = choice.clips
        let (evaluation, _) = try Evaluator.run(
            scoring.model, on: clips, batchSize: checkpoint.batchSize, orderPairs: info.orderPairs)
        if let output {
            try AtomicFile.write(Self.json(evaluation, choice) + "\n", to: URL(fileURLWithPath: output))
            return
        }
        if json {
            print(Self.json(evaluation, choice))
            return
        }
        let caveat = choice.includesTrainingData ? ", including the clips the model was trained on" : ""
        print(
            "\(try checkpoint.path) on \(clips.count) \(info.name) clips (\(choice.name)\(caveat)), \(task) task")
        print(MetricsTable.summary(evaluation))
        print(MetricsTable.perClass(evaluation, info: info))
    }
}
