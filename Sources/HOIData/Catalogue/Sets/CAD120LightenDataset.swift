import Settings

/// `cad120-lighten`: CAD-120 segments in LIGHTEN / STIGPN's pickle (`--data FILE`, a list of
/// segment dicts). No subjects: whole videos are held out for validation.
public enum CAD120LightenDataset: DatasetProvider {
    public static let name = "cad120-lighten"
    public static let summary = "CAD-120 segments in LIGHTEN / STIGPN's pickle; --data names the .p file"
    public static let settings: [any AnySetting] = [
        DataSettings.data, DataSettings.validationFraction, DataSettings.splitSeed,
    ]

    public static func load(_ request: DataRequest) throws -> DataSplits {
        guard let file = request.data else { throw DataRequestError(problems(in: request)[0]) }
        let segments = try LightenPickleReader.read(contentsOf: file)
        let info = CAD120Vocabulary.info(featureSize: segments.first?.clip.featureSize ?? 0, name: name)
        return try .segments(
            info: info, clips: segments.map(\.clip), videos: segments.map(\.videoID), subjects: nil,
            request: request, source: file.path)
    }
}
