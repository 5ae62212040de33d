import ArgumentParser
import Foundation
import GLIDN
import GLIDNCLI
import GLIDNVideo
import HOIData
import NN
import Settings

/// `glidn render-synthetic --output DIR`: clips of the synthetic benchmark as videos with their
/// true boxes, labels and names (`SyntheticRenderer`), to measure the step from true boxes to
/// what a detector and a tracker find.
struct RenderSyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-synthetic",
        abstract:
            "Render clips of the synthetic benchmark as videos (<id>.mp4), with their true boxes (<id>.csv), labels.csv, actions.txt and classes.txt.",
        discussion: "SETTINGS:\n" + SettingsHelp.lines(SyntheticDataset.settings).joined(separator: "\n")
            + "\n\nTraining and validation clips are labelled train in labels.csv, test clips test.")

    @Option(help: "The folder for the videos and their files.")
    var output: String

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var words: [String] = []

    func request() throws -> DataRequest {
        do {
            var request = DataRequest(
                try SettingParser.parse(words, settings: SyntheticDataset.settings, otherOptions: ["output"]))
            request[DataSettings.dataset] = SyntheticDataset.name
            return request
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func validate() throws { _ = try request() }

    func run() throws {
        let folder = URL(fileURLWithPath: output)
        try OutputCheck.folder(folder, option: "--output", writes: ["labels.csv"], inputs: [])
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = try request().load()
        let renderer = SyntheticRenderer()
        var labels = ["video,actions,split"]
        let parts: [(Dataset?, String)] = [(data.train, "train"), (data.validation, "train"), (data.test, "test")]
        let total = parts.reduce(0) { $0 + ($1.0?.count ?? 0) }
        let display = ProgressLine()
        var done = 0
        let began = Date()
        for (split, name) in parts {
            guard let split else { continue }
            for i in 0..<split.count {
                let clip = try split.clip(at: i)
                try renderer.write(clip, seed: UInt64(done) &* 0x9E37_79B9_7F4A_7C15 &+ 17, into: folder)
                labels.append(
                    "\(clip.id),\(clip.labels.actions?.map { data.info.classNames[$0] }.joined(separator: ";") ?? ""),\(name)"
                )
                done += 1
                display.update("rendered \(done) of \(total) clips")
            }
        }
        display.clear()
        try AtomicFile.write(labels.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("labels.csv"))
        try AtomicFile.write(
            data.info.classNames.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("actions.txt"))
        try AtomicFile.write(
            data.info.categoryNames.joined(separator: "\n") + "\n", to: folder.appendingPathComponent("classes.txt"))
        print(
            String(
                format: "rendered %d clips (%d × %d, %.0f frames per second) into %@ in %.0f s", done, renderer.width,
                renderer.height,
                renderer.framesPerSecond, folder.path, Date().timeIntervalSince(began)))
    }
}
