import Settings

/// `cad120-gt`: CAD-120 ground truth at the papers' scale, one pickle of whole videos
/// (`--data FILE`, docs/DATA.md). Each video is one clip of its labelled segments; `--task
/// detection` labels each segment with its own sub-activity and affordance, `--task
/// anticipation` with the next segment's. `--frames` frames are sampled per segment.
/// `--fold k` holds subject k out as the test set; validation holds out whole videos of the
/// other subjects.
public enum CAD120GroundTruthDataset: DatasetProvider {
    public static let name = "cad120-gt"
    public static let summary =
        "CAD-120 whole videos (ground-truth boxes, a subject per video); --data names the .pkl file, --task detection, anticipation or online (detection from the segments so far)"
    public static let tasks = CAD120VideoClips.Labels.allCases.map(\.rawValue)
    public static let frames = Setting<Int>(
        "frames", default: 10, help: "Frames sampled per segment", check: .within(1...1000))
    public static let settings: [any AnySetting] = [
        DataSettings.data, frames, DataSettings.fold, DataSettings.validationFraction,
        DataSettings.splitSeed,
    ]

    /// The best configurations of `tools/studies/cad120_study.sh` (leave-one-subject-out over
    /// subjects 1, 3, 4, two seeds; docs/STUDIES.md).
    public static let recipes: [String: Recipe] = [
        "detection": Recipe(
            "--variant global --hidden 64 --heads 8 --global-layers 5 --dropout 0.3 --epochs 400 --batch-size 4 --lr 3e-3",
            evidence:
                "docs/STUDIES.md, CAD-120 at the papers' scale: the best sub-activity F1 of the study, with five global layers (a longer memory: +2.8 sub-activity F1 over three, 11 of 15 runs)"
        ),
        "anticipation": Recipe(
            "--variant glidn --distill global-to-local --hidden 64 --heads 8 --global-layers 3 --dropout 0.3 --epochs 400 --batch-size 4 --lr 3e-3",
            evidence:
                "docs/STUDIES.md, CAD-120 at the papers' scale: the best F1 of the study (and no teacher beat it: taught by the whole video)"
        ),
        "online": Recipe(
            "--variant glidn --distill global-to-local --hidden 64 --heads 8 --global-layers 5 --dropout 0.3 --epochs 400 --batch-size 4 --lr 3e-3",
            evidence:
                "docs/STUDIES.md, taught by the whole video: the best online F1 measured (five causal global layers: a longer memory; no teacher beat the student alone)"
        ),
    ]

    /// Online detection and anticipation learn from a detection model, which has seen the whole video.
    public static let teacherTasks = [
        CAD120VideoClips.Labels.online.rawValue: CAD120VideoClips.Labels.detection.rawValue,
        CAD120VideoClips.Labels.anticipation.rawValue: CAD120VideoClips.Labels.detection.rawValue,
    ]

    public static func load(_ request: DataRequest) throws -> DataSplits {
        guard let file = request.data else { throw DataRequestError(problems(in: request)[0]) }
        let labels = CAD120VideoClips.Labels(rawValue: request.task ?? tasks[0]) ?? .detection
        let k = request[frames]
        let videos = try CAD120GroundTruthReader.read(contentsOf: file)
        let clips = try videos.map { try CAD120VideoClips.clip($0, framesPerSegment: k, labels: labels) }
        var info = DatasetInfo(
            name: name, task: .entity, featureSize: CAD120VideoClips.featureSize,
            categoryNames: CAD120Vocabulary.categoryNames, subactivityNames: CAD120Vocabulary.subactivities,
            affordanceNames: CAD120Vocabulary.groundTruthAffordances,
            temporalContext: labels.seesTheFuture ? .video : .causal)
        info.labelsOfNextSegment = labels == .anticipation
        let splits = try DataSplits.segments(
            info: info, clips: clips, videos: videos.map(\.id), subjects: videos.map(\.subject),
            request: request, source: file.path)
        return DataSplits(
            info: info, train: splits.train, validation: splits.validation, test: splits.test, all: splits.all,
            description: splits.description + " \(labels.rawValue) \(k) frames per segment", folds: splits.folds)
    }
}
