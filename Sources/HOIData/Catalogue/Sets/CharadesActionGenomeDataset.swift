import Settings

/// `charades-ag`: Charades videos with Action Genome's boxes only (`--data FOLDER` holding
/// `person_bbox.pkl` and `object_bbox_and_relationship.pkl`), labelled by the official CSVs.
public enum CharadesActionGenomeDataset: DatasetProvider {
    public static let name = "charades-ag"
    public static let summary =
        "Charades with Action Genome boxes; --data names the folder with the two .pkl files, --annotations the CSV"
    public static let tasks = [TaskKind.video.rawValue]
    public static let settings: [any AnySetting] = [
        DataSettings.data, DataSettings.annotations, DataSettings.testAnnotations, DataSettings.skipMissing,
        DataSettings.validationFraction, DataSettings.splitSeed,
    ]

    public static func problems(in request: DataRequest) -> [String] {
        CharadesSplits.problems(in: request, name: name, summary: summary)
    }

    public static func load(_ request: DataRequest) throws -> DataSplits {
        let (root, train, test) = try CharadesSplits.annotations(request, name: name)
        let (clips, missing) = try ActionGenomeReader.clips(
            personFile: root.appendingPathComponent("person_bbox.pkl"),
            objectFile: root.appendingPathComponent("object_bbox_and_relationship.pkl"),
            videos: train + test)
        if !missing.isEmpty && !request.skipMissing {
            throw DataRequestError(
                "\(missing.count) videos have no Action Genome frame, e.g. \(missing.prefix(3).joined(separator: ", ")) (pass --skip-missing to leave them out)"
            )
        }
        return CharadesSplits.split(
            source: ClipArray(clips), featureSize: ActionGenomeReader.featureSize, skipped: missing,
            train: train, test: test, request: request, name: name)
    }
}
