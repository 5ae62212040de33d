import ArgumentParser
import Foundation
import GLIDN
import HOIData
import Settings

/// A trained model to evaluate or predict with, and the data to score it on.
struct CheckpointArguments: ParsableArguments {
    @Option(help: "Checkpoint (.safetensors) written by `glidn train`.", completion: .file(extensions: ["safetensors"]))
    var checkpoint: String?

    @Option(
        help: ArgumentHelp(
            "A pretrained model instead of --checkpoint: \(PretrainedModels.all.map(\.name).joined(separator: ", ")).",
            valueName: "name"))
    var model: String?

    @Option(
        help:
            "Which clips: train, validation, test or all (default: the held-out part, test or else validation; all for other data without a test split)."
    )
    var split: SplitChoice?

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize = 64

    @OptionGroup var settings: SettingArguments

    static let options = ["checkpoint", "model", "split", "batch-size"]

    /// The checkpoint file: --checkpoint, or the file of --model.
    var path: String {
        get throws {
            switch (checkpoint, model) {
            case (let file?, nil): return file
            case (nil, let name?): return try PretrainedModels.url(name).path
            case (nil, nil): throw ValidationError("give --checkpoint FILE (written by glidn train) or --model NAME")
            default: throw ValidationError("--checkpoint and --model exclude each other")
            }
        }
    }

    func validate() throws {
        // Neither or both: the error `path` gives (a --model's file is looked for when it runs).
        if checkpoint != nil || model == nil { _ = try path }
        guard (1...TrainingOptions.maximumBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must lie in 1…\(TrainingOptions.maximumBatchSize), got \(batchSize)")
        }
        _ = try given(stored: nil)
    }

    /// The data settings given; the checkpoint's data set is the default.
    func given(stored: SettingValues?, otherOptions: [String] = []) throws -> SettingValues {
        try settings.values(
            .dataOnly, defaultDataset: stored?[DataSettings.dataset], otherOptions: Self.options + otherOptions)
    }

    /// The checkpoint and the clips to score it on (`ScoringData.choose`: the held-out part by
    /// default); says on standard error where the data differs from training, and when the
    /// clips include training data.
    func open(otherOptions: [String] = []) throws -> (
        checkpoint: CheckpointScoring, info: DatasetInfo, choice: ScoringData.Choice, task: String
    ) {
        let checkpoint = try path
        let scoring = try CheckpointScoring(URL(fileURLWithPath: checkpoint))
        let data = try scoring.data(given: try given(stored: scoring.storedData, otherOptions: otherOptions))
        if !data.differences.isEmpty {
            FileHandle.standardError.write(
                Data(
                    "note: other data than \(checkpoint) was trained on: \(data.differences.joined(separator: ", "))\n"
                        .utf8))
        }
        let choice = try data.choose(split)
        if choice.includesTrainingData {
            FileHandle.standardError.write(
                Data(
                    "note: --split \(choice.name) includes the clips \(checkpoint) was trained on: its scores are not held-out scores\n"
                        .utf8))
        }
        return (scoring, data.splits.info, choice, data.request.taskName)
    }

    /// The files the command reads, which no output may replace.
    var inputs: [String?] {
        let given = (try? settings.values(.dataOnly)) ?? SettingValues()
        return [try? path] + DataSettings.pathSettings.map { given[$0] }
    }
}
