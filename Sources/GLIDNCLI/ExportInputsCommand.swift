import ArgumentParser
import Foundation
import GLIDN
import NN

/// `glidn export-inputs`: the clips a checkpoint would be scored on, as one batch in an `.npz`
/// that the PyTorch twin reads (`InputExport`; tools/pytorch/README.md).
struct ExportInputsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-inputs",
        abstract: "Write the clips a checkpoint would be scored on as an .npz of input arrays for the PyTorch twin.",
        discussion: SettingsHelpText.discussion(
            .dataOnly, intro: "Without data settings, the data the checkpoint was trained on (its held-out part)."))

    @OptionGroup var checkpoint: CheckpointArguments

    @Option(help: "The .npz to write (atomically).")
    var output: String

    func run() throws {
        try OutputCheck.file(output, option: "--output", inputs: checkpoint.inputs)
        let (scoring, info, choice, _) = try checkpoint.open(otherOptions: ["output"])
        let batch = try choice.clips.batch(Array(0..<choice.clips.count))
        try AtomicFile.write(InputExport.npz(batch, task: scoring.model.config.task), to: URL(fileURLWithPath: output))
        print(
            "wrote \(choice.clips.count) \(info.name) clips (\(choice.name)) as [B, T, N, F] = \(batch.features.shape) to \(output)"
        )
    }
}
