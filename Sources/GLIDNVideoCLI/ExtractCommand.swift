import ArgumentParser
import Foundation
import GLIDN
import GLIDNCLI
import GLIDNVideo
import Settings

/// `glidn extract VIDEO… --output DIR`: per-video features and tracks (`CollectionExtraction`).
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract:
            "Videos to tracked people and objects: per video <id>.npz (features for train, evaluate and predict) and <id>.tracks.csv.",
        discussion: "SETTINGS:\n" + SettingsHelp.lines(VideoSettings.all).joined(separator: "\n")
            + "\n\n  detectors (--detector):\n"
            + Catalogues.detectors.descriptions.flatMap { SettingsHelp.wrap($0, first: "    ", indent: 6) }
            .joined(separator: "\n"))

    @Option(help: "The folder for the features, tracks and extraction.json.")
    var output: String

    @Option(
        help:
            "Extract only the i-th of n shares of the videos (sorted by path): several machines extract one collection together."
    )
    var shard: String?

    @Option(
        help: "Also write each video with its tracks drawn (boxes, ids, classes) to <id>.tracks.mp4 in this folder.")
    var pictures: String?

    @Flag(help: "Extract again videos whose <id>.npz is already in --output (default: keep them).")
    var overwrite = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The video files (any format FFmpeg reads), and the settings below.", valueName: "video"))
    var words: [String] = []

    func parsed() throws -> (settings: ExtractionSettings, files: [String]) {
        do {
            let (values, files) = try SettingParser.parseWithFiles(
                words, settings: VideoSettings.all,
                otherOptions: ["output", "shard", "overwrite", "pictures"])
            return (ExtractionSettings(values), files)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func validate() throws {
        let (_, files) = try parsed()
        guard !files.isEmpty else { throw ValidationError("name at least one video file") }
        if let shard { do { _ = try CollectionExtraction.Shard(shard) } catch { throw ValidationError("\(error)") } }
    }

    func run() throws {
        let (settings, files) = try parsed()
        let folder = URL(fileURLWithPath: output)
        try OutputCheck.folder(folder, option: "--output", writes: [CollectionExtraction.manifestFile], inputs: files)
        let picturesFolder = pictures.map { URL(fileURLWithPath: $0) }
        if let picturesFolder {
            try OutputCheck.folder(picturesFolder, option: "--pictures", writes: [], inputs: files)
        }
        let collection = try CollectionExtraction(
            files: files, output: folder, settings: settings,
            shard: try shard.map { try CollectionExtraction.Shard($0) }, overwrite: overwrite, pictures: picturesFolder)
        print(
            "extracting \(collection.videos.count) video\(collection.videos.count == 1 ? "" : "s") into \(folder.path): "
                + "\(collection.extraction.summary), \(settings.fps) frames per second")
        let display = ProgressLine()
        var (done, kept, failed) = (0, 0, [(String, String)]())
        var total = (frames: 0, seconds: 0.0)
        try collection.run(
            progress: { url, frames, seconds in
                display.update(
                    "\(url.lastPathComponent): \(frames) frames, \(String(format: "%.1f", Double(frames) / max(seconds, 1e-9))) frames/s"
                )
            },
            finished: { url, outcome in
                display.clear()
                switch outcome {
                case .extracted(let video, let seconds):
                    done += 1
                    total = (total.frames + video.times.count, total.seconds + seconds)
                    let people = video.tracks.filter(\.isHuman).count
                    print(
                        "\(url.lastPathComponent): \(video.times.count) frames sampled of \(video.decodedFrames) (\(video.info.width) × \(video.info.height), "
                            + "\(video.info.codec)), "
                            + String(
                                format: "%.2f detections per frame, ",
                                Double(video.detections) / Double(max(video.times.count, 1)))
                            + "\(video.tracks.count) tracks (\(people) people), "
                            + String(format: "%.1f frames/s", Double(video.times.count) / max(seconds, 1e-9))
                            + " → \(video.id).npz")
                case .kept(let id):
                    kept += 1
                    print("\(url.lastPathComponent): kept \(id).npz (already extracted; --overwrite extracts again)")
                case .failed(_, let problem):
                    failed.append((url.path, problem))
                    print("\(url.lastPathComponent): FAILED: \(problem)")
                }
            })
        print(
            "extracted \(done), kept \(kept), failed \(failed.count) of \(collection.videos.count) videos"
                + (total.frames > 0
                    ? String(format: "; %.1f sampled frames/s overall", Double(total.frames) / max(total.seconds, 1e-9))
                    : ""))
        for (path, problem) in failed {
            FileHandle.standardError.write(
                Data("Error: \(problem.hasPrefix(path) ? problem : path + ": " + problem)\n".utf8))
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}
