import Autograd
import Foundation

/// Clips of per-video feature files (Charades', or those `glidn extract` writes) read from disk
/// one video at a time, so that a data set far larger than memory can be trained on.
///
/// Layout: `<root>/<video id>.npz` holding `features` [T, N, F] (float16 or float32),
/// `boxes` [T, N, 4] (x1, y1, x2, y2 normalised to [0, 1]), `mask` [T, N] (0/1),
/// `categories` [N] (0 = person, then Action Genome's 36 object classes) and
/// `is_human` [N] (0/1). Labels come from the annotation CSV.
public struct VideoFeatureSource: ClipSource {
    public let root: URL
    public let videos: [CharadesVideo]
    public let featureSize: Int

    /// Checks that the files exist; missing ones are an error naming the first few, or,
    /// with `skipMissing`, are left out (`skipped` lists them).
    public init(root: URL, videos: [CharadesVideo], skipMissing: Bool) throws {
        self.root = root
        var present: [CharadesVideo] = []
        var missing: [String] = []
        for v in videos {
            if FileManager.default.fileExists(atPath: Self.file(root, v.id).path) {
                present.append(v)
            } else {
                missing.append(v.id)
            }
        }
        if !missing.isEmpty && !skipMissing {
            throw CharadesError(
                path: root.path,
                problem:
                    "\(missing.count) of \(videos.count) videos have no feature file, e.g. \(missing.prefix(3).map { $0 + ".npz" }.joined(separator: ", ")) (pass --skip-missing to leave them out\(missing.count == videos.count ? "; \(CharadesFeaturesDataset.howToMake)" : ""))"
            )
        }
        guard let first = present.first else {
            throw CharadesError(path: root.path, problem: "holds no feature file for these annotations")
        }
        self.videos = present
        skipped = missing
        let probe = try Self.load(root: root, video: first)
        featureSize = probe.featureSize
    }

    /// Every `<id>.npz` in `root`, sorted by id, as an unlabelled video (prediction without
    /// an annotation CSV).
    public static func videos(in root: URL) throws -> [CharadesVideo] {
        do { try InputFile.checkFolder(root) } catch { throw CharadesError(path: root.path, problem: error.problem) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let ids = names.filter { $0.hasSuffix(".npz") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
        guard !ids.isEmpty else { throw CharadesError(path: root.path, problem: "holds no <id>.npz feature file") }
        return ids.map { CharadesVideo(id: $0, scene: "", length: 0, actions: []) }
    }

    /// The videos a list names (`--ids`: one id per line; blank lines and `#` comments
    /// skipped), unlabelled, in the list's order.
    public static func videos(listedIn url: URL) throws -> [CharadesVideo] {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw CharadesError(path: url.path, problem: error.problem) }
        var seen = Set<String>()
        var videos: [CharadesVideo] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let id = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if id.isEmpty || id.hasPrefix("#") { continue }
            guard CharadesAnnotations.isSafeID(id) else {
                throw CharadesError(
                    path: url.path,
                    problem:
                        "line \(number + 1): '\(id.prefix(60))' is not a video id (it holds '/', '..' or a control character)"
                )
            }
            guard seen.insert(id).inserted else {
                throw CharadesError(path: url.path, problem: "line \(number + 1): video \(id) appears twice")
            }
            videos.append(CharadesVideo(id: id, scene: "", length: 0, actions: []))
        }
        guard !videos.isEmpty else { throw CharadesError(path: url.path, problem: "lists no video id") }
        return videos
    }

    /// Videos left out for lack of a feature file.
    public let skipped: [String]

    public var count: Int { videos.count }

    public func clip(at index: Int) throws -> Clip {
        let clip = try Self.load(root: root, video: videos[index])
        guard clip.featureSize == featureSize else {
            throw CharadesError(
                path: Self.file(root, videos[index].id).path,
                problem: "has \(clip.featureSize) features per entity, the other videos \(featureSize)")
        }
        return clip
    }

    static func file(_ root: URL, _ id: String) -> URL { root.appendingPathComponent(id + ".npz") }

    static func load(root: URL, video: CharadesVideo) throws -> Clip {
        let url = file(root, video.id)
        func fail(_ p: String) -> CharadesError { CharadesError(path: url.path, problem: "video \(video.id): \(p)") }
        let npz = try NPZReader(contentsOf: url)
        let features = try npz.array("features")
        guard features.shape.count == 3 else { throw fail("'features' has shape \(features.shape), not [T, N, F]") }
        let (t, n, f) = (features.shape[0], features.shape[1], features.shape[2])
        let boxes = try npz.array("boxes")
        let mask = try npz.array("mask")
        let categories = try npz.array("categories")
        let human = try npz.array("is_human")
        guard boxes.shape == [t, n, 4] else { throw fail("'boxes' has shape \(boxes.shape), expected [\(t), \(n), 4]") }
        guard mask.shape == [t, n] else { throw fail("'mask' has shape \(mask.shape), expected [\(t), \(n)]") }
        guard categories.shape == [n], let cats = categories.integers else {
            throw fail("'categories' must be \(n) integers")
        }
        guard human.shape == [n] else { throw fail("'is_human' has shape \(human.shape), expected [\(n)]") }
        do {
            return try Clip(
                id: video.id, frames: t, entities: n, featureSize: f, features: features.floats, boxes: boxes.floats,
                mask: mask.floats, categories: cats, isHuman: human.floats.map { $0 != 0 },
                labels: .video(classes: video.classes))
        } catch {
            throw fail(error.problem)
        }
    }
}
