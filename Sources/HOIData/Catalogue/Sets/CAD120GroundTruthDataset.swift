/// `cad120-gt`: CAD-120 ground truth at the papers' scale, one pickle of whole videos
/// (`--data FILE`, docs/DATA.md). Each video is one clip of its labelled segments; `--task
/// detection` labels each segment with its own sub-activity and affordance, `--task
/// anticipation` with the next segment's. `--frames` frames are sampled per segment (10).
/// `--fold k` holds subject k out as the test set; validation holds out whole videos of the
/// other subjects.
public enum CAD120GroundTruthDataset: DatasetProvider {
    public static let name = "cad120-gt"
    public static let summary = "CAD-120 whole videos (ground-truth boxes, a subject per video); --data names the .pkl file, --task detection or anticipation"
    public static let tasks = CAD120VideoClips.Labels.allCases.map(\.rawValue)
    public static let defaultFramesPerSegment = 10

    public static func problems(in request: DataRequest) -> [String] {
        var problems: [String] = []
        if request.data == nil { problems.append("--dataset \(name) needs --data (\(summary))") }
        if let frames = request.frames, !(1...1000).contains(frames) {
            problems.append("--frames \(frames): frames per segment must lie in 1…1000")
        }
        return problems
    }

    public static func load(_ request: DataRequest) throws -> DataSplits {
        guard let file = request.data else { throw DataRequestError(problems(in: request)[0]) }
        let labels = CAD120VideoClips.Labels(rawValue: request.task ?? tasks[0]) ?? .detection
        let k = request.frames ?? defaultFramesPerSegment
        let videos = try CAD120GroundTruthReader.read(contentsOf: file)
        let clips = try videos.map { try CAD120VideoClips.clip($0, framesPerSegment: k, labels: labels) }
        let info = DatasetInfo(name: name, task: .entity, featureSize: CAD120VideoClips.featureSize,
                               categoryNames: CAD120Vocabulary.categoryNames, subactivityNames: CAD120Vocabulary.subactivities,
                               affordanceNames: CAD120Vocabulary.groundTruthAffordances,
                               temporalContext: labels == .detection ? .video : .causal)
        let splits = try DataSplits.segments(info: info, clips: clips, videos: videos.map(\.id), subjects: videos.map(\.subject),
                                             request: request, source: file.path)
        return DataSplits(info: info, train: splits.train, validation: splits.validation, test: splits.test, all: splits.all,
                          description: splits.description + " \(labels.rawValue) \(k) frames per segment")
    }
}
