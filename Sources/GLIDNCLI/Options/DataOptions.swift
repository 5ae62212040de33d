import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// Where the clips come from: the data set's name and the options it reads, wired into a
/// `DataRequest` for `DatasetCatalogue`. Shared by train, evaluate, predict and demo.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Data set: \(DatasetCatalogue.names.joined(separator: ", ")).",
                               discussion: DatasetCatalogue.providers.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var dataset = SyntheticDataset.name

    @Option(help: "The data set's file or folder (see --dataset).", completion: .file())
    var data: String?

    @Option(help: "Charades: the annotation CSV of the training videos (e.g. Charades_v1_train.csv).", completion: .file(extensions: ["csv"]))
    var annotations: String?

    @Option(name: .customLong("test-annotations"), help: "Charades: the annotation CSV of the test videos (e.g. Charades_v1_test.csv).",
            completion: .file(extensions: ["csv"]))
    var testAnnotations: String?

    @Option(name: .customLong("validation-fraction"), parsing: .unconditional, help: "Real data: fraction of whole videos held out for validation.")
    var validationFraction = 0.2

    @Option(name: .customLong("split-seed"), help: "Real data: seed of the video split.")
    var splitSeed: UInt64 = 0

    @Option(help: "Leave-one-subject-out: the subject held out for testing (CAD-120).")
    var fold: Int?

    @Flag(name: .customLong("skip-missing"), help: "Charades: leave out videos without a feature file instead of stopping.")
    var skipMissing = false

    @Option(help: "The task, for data sets that serve several (synthetic: video or entity).")
    var task: String?

    @Option(name: .customLong("train-clips"), help: "Synthetic: training clips.")
    var trainClips = SyntheticSettings().trainClips

    @Option(name: .customLong("validation-clips"), help: "Synthetic: validation clips.")
    var validationClips = SyntheticSettings().validationClips

    @Option(name: .customLong("test-clips"), help: "Synthetic: test clips.")
    var testClips = SyntheticSettings().testClips

    @Option(help: "Frames per clip (synthetic: \(SyntheticSettings().frames)), or sampled per segment of a whole video (cad120-gt: \(CAD120GroundTruthDataset.defaultFramesPerSegment)).")
    var frames: Int?

    @Option(name: .customLong("max-actions"), help: "Synthetic: the most actions a clip shows (1, 2 or 3).")
    var maxActions = SyntheticSettings().maxActions

    @Option(name: .customLong("feature-size"), help: "Synthetic: appearance feature size.")
    var featureSize = SyntheticSettings().featureSize

    @Option(name: .customLong("feature-noise"), parsing: .unconditional, help: "Synthetic: per-frame appearance noise (standard deviation).")
    var featureNoise = SyntheticSettings().featureNoise

    @Option(name: .customLong("data-seed"), help: "Synthetic: seed of the generated clips.")
    var dataSeed: UInt64 = SyntheticSettings().seed

    var request: DataRequest {
        var r = DataRequest()
        r.data = data.map { URL(fileURLWithPath: $0) }
        r.annotations = annotations.map { URL(fileURLWithPath: $0) }
        r.testAnnotations = testAnnotations.map { URL(fileURLWithPath: $0) }
        r.validationFraction = validationFraction
        r.splitSeed = splitSeed
        r.fold = fold
        r.skipMissing = skipMissing
        r.task = task
        r.frames = frames
        var s = SyntheticSettings()
        s.trainClips = trainClips
        s.validationClips = validationClips
        s.testClips = testClips
        s.featureSize = featureSize
        s.maxActions = maxActions
        s.featureNoise = featureNoise
        s.seed = dataSeed
        r.synthetic = s
        return r
    }

    func validate() throws {
        guard let provider = DatasetCatalogue.provider(named: dataset) else {
            throw ValidationError("unknown --dataset '\(dataset)' (known: \(DatasetCatalogue.names.joined(separator: ", ")))")
        }
        if let problem = provider.problems(in: request).first { throw ValidationError(problem) }
        if let task, !provider.tasks.contains(task) {
            throw ValidationError("--dataset \(dataset) serves the task\(provider.tasks.count == 1 ? "" : "s") \(provider.tasks.joined(separator: ", ")), not '\(task)'")
        }
        guard (0..<1).contains(validationFraction) else { throw ValidationError("--validation-fraction must lie in [0, 1)") }
    }

    func load() throws -> DataSplits { try DatasetCatalogue.load(dataset, request) }
}
