import Autograd
import Foundation
import Settings

/// `videos`: videos extracted by `glidn extract` (`--data FOLDER` of `<id>.npz`, with its
/// `categories.txt`), labelled by `labels.csv` (`video,actions,split`) naming actions of
/// `actions.txt`, both in the folder unless `--labels` and `--actions` name others. Without
/// labels, every video of the folder is an unlabelled clip, for `predict`.
public enum VideoFeaturesDataset: DatasetProvider {
    public static let name = "videos"
    public static let summary =
        "videos extracted by glidn extract; --data names its folder, labels from labels.csv and actions.txt in it (docs/DATA.md)"
    public static let tasks = [TaskKind.video.rawValue]
    public static let labels = Setting<String?>(
        "labels", default: nil, help: "The videos' labels: a CSV of video,actions[,split]",
        defaultNote: "<data>/labels.csv if there")
    public static let actions = Setting<String?>(
        "actions", default: nil, help: "The action names, one per line", defaultNote: "<data>/actions.txt")
    public static let settings: [any AnySetting] = [
        DataSettings.data, labels, actions, DataSettings.skipMissing,
        DataSettings.validationFraction, DataSettings.splitSeed,
    ]

    public static func load(_ request: DataRequest) throws -> DataSplits {
        guard let root = request.data else { throw DataRequestError(problems(in: request)[0]) }
        let categories = root.appendingPathComponent("categories.txt")
        let categoryNames =
            FileManager.default.fileExists(atPath: categories.path)
            ? try VideoLabels.actionNames(categories) : ["person"]
        let labelsFile = request[labels].map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("labels.csv")
        var (train, test, unlabelled): ([CharadesVideo], [CharadesVideo], [CharadesVideo]) = ([], [], [])
        var actionNames: [String] = []
        if request[labels] != nil || FileManager.default.fileExists(atPath: labelsFile.path) {
            actionNames = try VideoLabels.actionNames(
                request[actions].map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("actions.txt"))
            for v in try VideoLabels.read(labelsFile, actions: actionNames) {
                let video = CharadesVideo(
                    id: v.id, scene: "", length: 0, actions: v.actions.map { .init(classIndex: $0, start: 0, end: 0) })
                if v.test { test.append(video) } else { train.append(video) }
            }
        } else {
            unlabelled = try VideoFeatureSource.videos(in: root)
            if let names = request[actions] {
                actionNames = try VideoLabels.actionNames(URL(fileURLWithPath: names))
            } else if FileManager.default.fileExists(atPath: root.appendingPathComponent("actions.txt").path) {
                actionNames = try VideoLabels.actionNames(root.appendingPathComponent("actions.txt"))
            } else {
                throw DataRequestError(
                    "--dataset videos: \(root.path) has no labels.csv and no actions.txt; name the actions a checkpoint predicts with --actions"
                )
            }
        }
        let features = try VideoFeatureSource(
            root: root, videos: train + test + unlabelled, skipMissing: request.skipMissing)
        return CharadesSplits.split(
            source: features, featureSize: features.featureSize, skipped: features.skipped, train: train, test: test,
            request: request, name: name, classNames: actionNames, categoryNames: categoryNames,
            featureExtraction: try extractionSettings(in: root))
    }

    /// The `settings` object of the folder's `extraction.json` (written by `glidn extract`), as
    /// JSON text, or nil if the folder has no manifest.
    static func extractionSettings(in root: URL) throws -> String? {
        let url = root.appendingPathComponent("extraction.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try extractionSettings(manifest: try InputFile.contents(of: url), source: url.path)
    }

    /// The `settings` object of an extraction manifest's bytes, re-serialised with sorted keys.
    public static func extractionSettings(manifest: Data, source: String) throws -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: manifest)) as? [String: Any],
            let settings = object["settings"] as? [String: Any],
            let text = try? JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys])
        else {
            throw DataRequestError("\(source) is not an extraction manifest (a JSON object with settings)")
        }
        return String(decoding: text, as: UTF8.self)
    }
}
