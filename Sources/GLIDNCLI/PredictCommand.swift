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

    @Flag(
        help:
            "Stream each video segment by segment, as a camera would deliver it: each segment's labels as soon as its frames arrive, with the time each update took (a causal checkpoint: --task online or anticipation)."
    )
    var online = false

    @Option(help: "With --online, for clips of one segment: frames per update (default: a quarter of each clip).")
    var window: Int?

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if let window, window < 1 { throw ValidationError("--window must be at least 1 frame, got \(window)") }
        if window != nil && !online { throw ValidationError("--window sets the frames per update of --online") }
        if online && ![.text, .jsonl].contains(format) {
            throw ValidationError("--online writes each update as it comes: --format text or jsonl")
        }
    }

    func run() throws {
        if let output { try OutputCheck.file(output, option: "--output", inputs: checkpoint.inputs) }
        let (scoring, info, choice, _) = try checkpoint.open(otherOptions: [
            "format", "top", "output", "all-scores", "online", "window",
        ])
        let clips = choice.clips
        if online { return try stream(clips, model: scoring.model, info: info) }
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

extension PredictCommand {
    /// `--online`: every video segment by segment; each update printed as it comes (or kept for
    /// `--output`), then the update times by segment on standard error.
    func stream(_ clips: Dataset, model: GLIDNModel, info: DatasetInfo) throws {
        let writer = PredictionWriter(info: info, top: top, allScores: allScores)
        var text = ""
        var times: [[Double]] = []
        for index in 0..<clips.count {
            var clip = try clips.clip(at: index)
            // Prefix data (synthetic --task online): each whole clip streams once, under its own id.
            if let fraction = clip.prefixFraction {
                guard fraction == 1 else { continue }
                clip = try clip.renamed(clip.wholeClipID)
            }
            times.append([])
            try OnlineRecognizer.stream(clip, model: model, info: info, window: window) { update in
                times[times.count - 1].append(update.seconds.first ?? 0)
                let rendered = writer.render(update, format: format)
                if output == nil {
                    print(rendered, terminator: "")
                    fflush(nil)  // each update as it comes
                } else {
                    text += rendered
                }
            }
        }
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("wrote \(times.joined().count) updates to \(output)\n".utf8))
        }
        FileHandle.standardError.write(Data((UpdateTimes(times).summary + "\n").utf8))
    }
}

extension PredictionWriter.Format: ExpressibleByArgument {}
