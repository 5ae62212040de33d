import Settings

/// `cad120-raw`: the CAD-120 release's annotation folders (`--data ROOT` holding
/// `SubjectN_annotations/`). `--fold k` holds subject k out as the test set.
public enum CAD120RawDataset: DatasetProvider {
    public static let name = "cad120-raw"
    public static let summary =
        "the CAD-120 release; --data names the folder with SubjectN_annotations/ (--fold k tests on subject k)"
    public static let settings: [any AnySetting] = [
        DataSettings.data, DataSettings.fold, DataSettings.validationFraction, DataSettings.splitSeed,
    ]

    public static func load(_ request: DataRequest) throws -> DataSplits {
        guard let root = request.data else { throw DataRequestError(problems(in: request)[0]) }
        let segments = try CAD120AnnotationReader.read(root: root)
        let info = CAD120Vocabulary.info(featureSize: segments.first?.clip.featureSize ?? 0, name: name)
        return try .segments(
            info: info, clips: segments.map(\.clip), videos: segments.map(\.videoID), subjects: segments.map(\.subject),
            request: request, source: root.path)
    }
}
