import Settings

/// `charades`: Charades videos as per-video feature files (`--data FOLDER` of `<id>.npz`),
/// labelled by the official CSVs (`--annotations` for training, `--test-annotations`).
/// Without a CSV, every feature file in the folder is an unlabelled clip, for `predict`.
public enum CharadesFeaturesDataset: DatasetProvider {
    public static let name = "charades"
    public static let summary =
        "Charades with per-video feature files; --data names the folder of <id>.npz, --annotations the CSV (predict needs none)"
    public static let tasks = [TaskKind.video.rawValue]
    public static let settings: [any AnySetting] = [
        DataSettings.data, DataSettings.annotations, DataSettings.testAnnotations, DataSettings.ids,
        DataSettings.skipMissing, DataSettings.validationFraction, DataSettings.splitSeed,
    ]

    /// Where the feature files come from, for the errors of a user who has the CSVs only.
    public static let howToMake =
        "per-video feature files are made from the videos with `glidn extract VIDEO… --output FOLDER` (their format: docs/DATA.md, section `charades`)"

    public static func problems(in request: DataRequest) -> [String] {
        CharadesSplits.problems(in: request, name: name, summary: summary, labelsRequired: false).map {
            request.data == nil ? "\($0); \(howToMake)" : $0
        }
    }

    public static func load(_ request: DataRequest) throws -> DataSplits {
        var (root, train, test) = try CharadesSplits.annotations(request, name: name, labelsRequired: false)
        var unlabelled: [CharadesVideo] = []
        if let list = request.ids {
            // The videos to predict for, by id: the annotation files play no part.
            (train, test, unlabelled) = ([], [], try VideoFeatureSource.videos(listedIn: list))
        } else if train.isEmpty && test.isEmpty {
            unlabelled = try VideoFeatureSource.videos(in: root)
        }
        let features = try VideoFeatureSource(
            root: root, videos: train + test + unlabelled, skipMissing: request.skipMissing)
        return CharadesSplits.split(
            source: features, featureSize: features.featureSize, skipped: features.skipped,
            train: train, test: test, request: request, name: name)
    }
}
