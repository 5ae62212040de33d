import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// Where the clips come from: the data set's name and the options it reads, wired into a
/// `DataRequest` for `DatasetCatalogue`. Shared by train, evaluate, predict and demo.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Data set: \(DatasetCatalogue.names.joined(separator: ", ")) (default: \(SyntheticDataset.name), or the checkpoint's).",
                               discussion: DatasetCatalogue.providers.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var dataset: String?

    @Option(help: "The data set's file or folder (see --dataset).", completion: .file())
    var data: String?

    @Option(help: "Charades: the annotation CSV of the training videos (e.g. Charades_v1_train.csv).", completion: .file(extensions: ["csv"]))
    var annotations: String?

    @Option(name: .customLong("test-annotations"), help: "Charades: the annotation CSV of the test videos (e.g. Charades_v1_test.csv).",
            completion: .file(extensions: ["csv"]))
    var testAnnotations: String?

    @Option(help: "Charades: a file of video ids, one per line, to predict for without an annotation CSV (default: every <id>.npz in --data).",
            completion: .file())
    var ids: String?

    @Option(name: .customLong("validation-fraction"), parsing: .unconditional,
            help: "Real data: fraction of whole videos held out for validation (default: \(DataRequest().validationFraction)).")
    var validationFraction: Double?

    @Option(name: .customLong("split-seed"), help: "Real data: seed of the video split (default: 0).")
    var splitSeed: UInt64?

    @Option(help: "Leave-one-subject-out: the subject held out for testing (CAD-120).")
    var fold: Int?

    @Flag(name: .customLong("skip-missing"), help: "Charades: leave out videos without a feature file instead of stopping.")
    var skipMissing = false

    @Option(help: "The task, for data sets that serve several (synthetic: video or entity).")
    var task: String?

    @Option(name: .customLong("train-clips"), help: "Synthetic: training clips (default: \(SyntheticSettings().trainClips)).")
    var trainClips: Int?

    @Option(name: .customLong("validation-clips"), help: "Synthetic: validation clips (default: \(SyntheticSettings().validationClips)).")
    var validationClips: Int?

    @Option(name: .customLong("test-clips"), help: "Synthetic: test clips (default: \(SyntheticSettings().testClips)).")
    var testClips: Int?

    @Option(help: "Frames per clip (synthetic: \(SyntheticSettings().frames)), or sampled per segment of a whole video (cad120-gt: \(CAD120GroundTruthDataset.defaultFramesPerSegment)).")
    var frames: Int?

    @Option(name: .customLong("max-actions"), help: "Synthetic: the most actions a clip shows, 1, 2 or 3 (default: \(SyntheticSettings().maxActions)).")
    var maxActions: Int?

    @Option(name: .customLong("feature-size"), help: "Synthetic: appearance feature size (default: \(SyntheticSettings().featureSize)).")
    var featureSize: Int?

    @Option(name: .customLong("feature-noise"), parsing: .unconditional,
            help: "Synthetic: per-frame appearance noise, a standard deviation (default: \(SyntheticSettings().featureNoise)).")
    var featureNoise: Float?

    @Option(name: .customLong("data-seed"), help: "Synthetic: seed of the generated clips (default: \(SyntheticSettings().seed)).")
    var dataSeed: UInt64?

    /// The options given (nil: left out). A command that reads a checkpoint lays them over
    /// the checkpoint's own (`DataChoices.over`).
    var choices: DataChoices {
        DataChoices(dataset: dataset, data: data, annotations: annotations, testAnnotations: testAnnotations, ids: ids,
                    validationFraction: validationFraction, splitSeed: splitSeed, fold: fold, skipMissing: skipMissing ? true : nil,
                    task: task, trainClips: trainClips, validationClips: validationClips, testClips: testClips, frames: frames,
                    maxActions: maxActions, featureSize: featureSize, featureNoise: featureNoise, dataSeed: dataSeed)
    }

    /// The data set's name: the option, else synthetic.
    var datasetName: String { choices.datasetName }

    var request: DataRequest { choices.request }

    /// Checks the options given. Commands that read a checkpoint check the data they end up
    /// with again (`Self.check`), once the checkpoint's own choices are laid under these.
    func validate() throws {
        if let dataset, DatasetCatalogue.provider(named: dataset) == nil {
            throw ValidationError("unknown --dataset '\(dataset)' (known: \(DatasetCatalogue.names.joined(separator: ", ")))")
        }
        if let validationFraction, !(0..<1).contains(validationFraction) {
            throw ValidationError("--validation-fraction must lie in [0, 1), got \(validationFraction)")
        }
    }

    /// The problems of `choices` for their data set, before anything is read.
    static func check(_ choices: DataChoices) throws {
        let name = choices.datasetName
        guard let provider = DatasetCatalogue.provider(named: name) else {
            throw ValidationError("unknown --dataset '\(name)' (known: \(DatasetCatalogue.names.joined(separator: ", ")))")
        }
        if let problem = provider.problems(in: choices.request).first { throw ValidationError(problem) }
        if let task = choices.task, !provider.tasks.contains(task) {
            throw ValidationError("--dataset \(name) serves the task\(provider.tasks.count == 1 ? "" : "s") \(provider.tasks.joined(separator: ", ")), not '\(task)'")
        }
    }

    /// Loads the data the given options name, over `recorded` (a checkpoint's choices).
    static func load(_ choices: DataChoices) throws -> DataSplits {
        try check(choices)
        return try DatasetCatalogue.load(choices.datasetName, choices.request)
    }

    func load() throws -> DataSplits { try Self.load(choices) }
}
