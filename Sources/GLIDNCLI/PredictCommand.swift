import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn predict`: what a checkpoint predicts for each clip.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a checkpoint: top classes per clip (video task) or per entity (entity task).",
        discussion: SettingsHelpText.discussion(
            .dataOnly,
            intro:
                "Without data settings, the data the checkpoint was trained on. From video files: glidn predict --video FILE… --checkpoint CK (see glidn predict --video x --help)."
        ))

    @OptionGroup var checkpoint: CheckpointArguments

    @Option(
        help:
            "Output format: text, json (one document), jsonl (a JSON object per line), csv or charades (the submission format)."
    )
    var format: PredictionWriter.Format = .text

    @Option(help: "Classes shown per clip or entity (text and json).")
    var top = 3

    @Flag(help: "With --format json or jsonl: every class's score besides the top ones.")
    var allScores = false

    @Option(help: "Write the predictions to this file (atomically) instead of standard output.")
    var output: String?

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        if let output { try OutputCheck.file(output, option: "--output", inputs: checkpoint.inputs) }
        let (scoring, info, choice, _) = try checkpoint.open(otherOptions: ["format", "top", "output", "all-scores"])
        let clips = choice.clips
        if format == .charades && scoring.model.config.task.group(LabelGroup.actions) == nil {
            throw ValidationError(
                "the charades format holds action scores per clip: the checkpoint's \(scoring.model.config.task.rawValue) task has none"
            )
        }
        let (_, predictions) = try Evaluator.run(scoring.model, on: clips, batchSize: checkpoint.batchSize)
        let text = PredictionWriter(info: info, top: top, allScores: allScores).render(predictions, format: format)
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("wrote \(predictions.clipIDs.count) predictions to \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}

extension PredictionWriter.Format: ExpressibleByArgument {}
