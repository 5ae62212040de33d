import ArgumentParser
import Foundation
import GLIDN
import GLIDNCLI
import GLIDNVideo
import HOIData
import NN
import Settings

extension PredictionOutput.Format: ExpressibleByArgument {}

/// `glidn predict --video FILE… --checkpoint CK`: extract each video as the checkpoint's data was
/// extracted, then predict over sliding windows (`VideoPrediction`); optionally the pictures.
struct VideoPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract:
            "Predict from video files with a checkpoint trained on extracted videos: labels over sliding windows, per window and track."
    )

    @Option(parsing: .upToNextOption, help: "The video files.")
    var video: [String]

    @Option(help: "Checkpoint (.safetensors) trained on videos extracted by glidn extract (--dataset videos).")
    var checkpoint: String

    @Option(help: "Window length, in seconds.")
    var window = 2.0

    @Option(help: "Seconds from one window's start to the next's.")
    var stride = 1.0

    @Option(help: "Output format: text, json or csv.")
    var format: PredictionOutput.Format = .text

    @Option(help: "Classes shown per window (and track).")
    var top = 3

    @Option(help: "Write the predictions to this file (atomically) instead of standard output.")
    var output: String?

    @Option(
        help:
            "Also write, per video, <id>.annotated.mp4 (boxes, ids, attention, labels) and <id>.html (timeline, key frames) into this folder."
    )
    var pictures: String?

    func validate() throws {
        guard !video.isEmpty else { throw ValidationError("--video names at least one file") }
        guard window > 0, window <= 3600, stride > 0, stride <= 3600 else {
            throw ValidationError("--window and --stride are seconds in (0, 3600]")
        }
        guard (1...1000).contains(top) else { throw ValidationError("--top must lie in 1…1000") }
    }

    func run() throws {
        if let output { try OutputCheck.file(output, option: "--output", inputs: [checkpoint] + video) }
        if let pictures {
            try OutputCheck.folder(
                URL(fileURLWithPath: pictures), option: "--pictures", writes: [], inputs: [checkpoint] + video)
        }
        let scoring = try CheckpointScoring(URL(fileURLWithPath: checkpoint))
        guard let infoJSON = scoring.metadata["dataset"],
            let info = try? JSONDecoder().decode(DatasetInfo.self, from: Data(infoJSON.utf8)),
            info.name == VideoFeaturesDataset.name
        else {
            throw ValidationError(
                "\(checkpoint) was not trained on videos extracted by glidn extract (--dataset videos): predict --video needs such a model"
            )
        }
        // The checkpoint records how its training videos were extracted; older ones name the folder.
        let settings: ExtractionSettings
        let source: String
        if let recorded = info.featureExtraction {
            settings = try ExtractionSettings.decode(settingsJSON: recorded, source: checkpoint)
            source = checkpoint
        } else if let folder = scoring.storedData?[DataSettings.data] {
            let manifest = URL(fileURLWithPath: folder).appendingPathComponent(CollectionExtraction.manifestFile)
            settings = try ExtractionSettings.read(manifest: manifest)
            source = manifest.path
        } else {
            throw ValidationError("\(checkpoint) records neither how its videos were extracted nor their folder")
        }
        let extraction = try VideoExtraction(settings: settings)
        FileHandle.standardError.write(
            Data("extracting as \(source) says: \(extraction.summary), \(settings.fps) frames per second\n".utf8)
        )
        var predictions: [VideoPrediction] = []
        for path in video {
            let url = URL(fileURLWithPath: path)
            let id = CollectionExtraction.id(of: url)
            let extracted = try extraction.run(url, id: id)
            let prediction = try VideoPrediction.run(
                extracted, model: scoring.model, info: info, window: window, stride: stride)
            predictions.append(prediction)
            if let pictures {
                let folder = URL(fileURLWithPath: pictures)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let painter = PredictionPictures(prediction, top: top)
                try painter.writeVideo(
                    from: url, fps: settings.fps, to: folder.appendingPathComponent(id + ".annotated.mp4"))
                try AtomicFile.write(
                    try painter.page(from: url, fps: settings.fps), to: folder.appendingPathComponent(id + ".html"))
                FileHandle.standardError.write(
                    Data("wrote \(folder.appendingPathComponent(id + ".annotated.mp4").path) and \(id).html\n".utf8))
            }
        }
        let text = PredictionOutput.render(predictions, format: format, top: top)
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(
                Data("wrote the predictions of \(predictions.count) videos to \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}
