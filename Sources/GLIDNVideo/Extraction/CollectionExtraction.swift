import Foundation
import NN
import Settings

/// `glidn extract` as a library call: a collection of videos extracted into one folder, one
/// `<id>.npz` and `<id>.tracks.csv` per video, with `extraction.json` (how) and `categories.txt`
/// (the detector's classes, the `categories` of the feature files). A video that cannot be read
/// is reported and the others go on. `shard` (i of n) splits a collection deterministically, so
/// that several machines extract one collection into one folder together.
public struct CollectionExtraction {
    public struct Shard: Sendable, Equatable {
        public let index: Int
        public let count: Int

        /// "i/n", 1 ≤ i ≤ n.
        public init(_ text: String) throws(SettingError) {
            let parts = text.split(separator: "/").map { Int($0) }
            guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, n <= 1_000_000, (1...n).contains(i)
            else {
                throw SettingError("--shard \(text) is not i/n with 1 ≤ i ≤ n")
            }
            (index, count) = (i, n)
        }
    }

    /// What became of one video.
    public enum Outcome {
        case extracted(ExtractedVideo, seconds: Double)
        case kept(id: String)
        case failed(id: String, problem: String)
    }

    public let videos: [URL]
    public let output: URL
    public let extraction: VideoExtraction
    public let overwrite: Bool
    /// Where to write each video with its tracks drawn (`<id>.tracks.mp4`), if anywhere.
    public let pictures: URL?

    /// The videos of `files` this shard takes (sorted by path, then every n-th), each with a
    /// distinct id (its file name without the extension).
    public init(
        files: [String], output: URL, settings: ExtractionSettings, shard: Shard? = nil, overwrite: Bool = false,
        pictures: URL? = nil
    ) throws {
        guard !files.isEmpty else { throw SettingError("name at least one video file") }
        let sorted = files.map { URL(fileURLWithPath: $0).standardizedFileURL }.sorted { $0.path < $1.path }
        var ids: [String: String] = [:]
        for url in sorted {
            let id = Self.id(of: url)
            if let other = ids[id], other != url.path {
                throw SettingError("\(other) and \(url.path) would both be extracted as \(id).npz: rename one")
            }
            ids[id] = url.path
        }
        let unique = Array(Set(sorted)).sorted { $0.path < $1.path }
        videos =
            shard.map { s in unique.enumerated().filter { $0.offset % s.count == s.index - 1 }.map(\.element) }
            ?? unique
        self.output = output
        self.overwrite = overwrite
        self.pictures = pictures
        extraction = try VideoExtraction(settings: settings)
    }

    /// A video's id: its file name without the extension, characters other than letters,
    /// digits, `-`, `_` and `.` replaced by `_`.
    public static func id(of url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        let id = String(stem.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return id.isEmpty || id.hasPrefix(".") ? "video" + id : id
    }

    public static let manifestFile = "extraction.json"
    public static let categoriesFile = "categories.txt"

    /// The folder's manifest: the settings, the detector and the features.
    public func manifest() throws -> Data {
        let object: [String: Any] = [
            "settings": extraction.settings.json(), "detector": extraction.summary, "classes": extraction.classNames,
            "features": ExtractedVideo.featureNames, "format": "glidn per-video features (docs/DATA.md)",
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    }

    /// Writes the manifest and categories, then extracts each video in turn.
    public func run(progress: ((URL, Int, Double) -> Void)? = nil, finished: (URL, Outcome) -> Void) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let manifest = try manifest()
        let manifestURL = output.appendingPathComponent(Self.manifestFile)
        if let existing = try? Data(contentsOf: manifestURL), existing != manifest, !overwrite {
            throw SettingError(
                "\(output.path) holds videos extracted with other settings (\(Self.manifestFile)): extract into another folder, or pass --overwrite"
            )
        }
        try AtomicFile.write(manifest, to: manifestURL)
        try AtomicFile.write(
            extraction.classNames.joined(separator: "\n") + "\n", to: output.appendingPathComponent(Self.categoriesFile)
        )
        for url in videos {
            let id = Self.id(of: url)
            let features = output.appendingPathComponent(id + ".npz")
            if !overwrite, FileManager.default.fileExists(atPath: features.path) {
                finished(url, .kept(id: id))
                continue
            }
            let began = Date()
            do {
                let video = try extraction.run(url, id: id) { frames, seconds in progress?(url, frames, seconds) }
                try AtomicFile.write(video.tracksCSV(), to: output.appendingPathComponent(id + ".tracks.csv"))
                try AtomicFile.write(video.featureArchive(), to: features)
                if let pictures {
                    try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
                    try TrackPictures(video).writeVideo(
                        from: url, fps: extraction.settings.fps, to: pictures.appendingPathComponent(id + ".tracks.mp4")
                    )
                }
                finished(url, .extracted(video, seconds: Date().timeIntervalSince(began)))
            } catch {
                finished(url, .failed(id: id, problem: "\(error)"))
            }
        }
    }
}
