import ArgumentParser
import Foundation
import GLIDN
import HOIData
import Settings

/// A trained model to evaluate or predict with, and the data to score it on.
struct CheckpointArguments: ParsableArguments {
    @Option(help: "Checkpoint (.safetensors) written by `glidn train`.", completion: .file(extensions: ["safetensors"]))
    var checkpoint: String

    @Option(
        help: "Which clips: train, validation, test or all (default: test when the data set has one, all otherwise).")
    var split: SplitChoice?

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize = 64

    @OptionGroup var settings: SettingArguments

    static let options = ["checkpoint", "split", "batch-size"]

    func validate() throws {
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

    /// The checkpoint, the clips of the chosen split of the data to score it on, the split's name;
    /// says on standard error where the data differs from training.
    func open(otherOptions: [String] = []) throws -> (
        checkpoint: CheckpointScoring, info: DatasetInfo, split: String, clips: Dataset
    ) {
        let scoring = try CheckpointScoring(URL(fileURLWithPath: checkpoint))
        let (splits, _, differences) = try scoring.data(
            given: try given(stored: scoring.storedData, otherOptions: otherOptions))
        if !differences.isEmpty {
            FileHandle.standardError.write(
                Data(
                    "note: other data than \(checkpoint) was trained on: \(differences.joined(separator: ", "))\n".utf8)
            )
        }
        let (name, clips) = try (split ?? (splits.test == nil ? .all : .test)).pick(splits)
        return (scoring, splits.info, name, clips)
    }

    /// The files the command reads, which no output may replace.
    var inputs: [String?] {
        let given = (try? settings.values(.dataOnly)) ?? SettingValues()
        return [checkpoint] + DataSettings.pathSettings.map { given[$0] }
    }
}
