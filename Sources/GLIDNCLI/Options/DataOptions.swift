import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// The data sets the command line knows.
enum DatasetKind: String, ExpressibleByArgument, CaseIterable {
    case synthetic
}

/// Splits of one data set, ready to train or evaluate on.
struct LoadedData {
    let info: DatasetInfo
    let train: Dataset
    let validation: Dataset?
    let test: Dataset?
    /// Stored in resume files: resuming on other data is refused.
    let description: String
    /// Class pairs to score for time order (synthetic benchmark).
    let orderPairs: [(Int, Int)]
}

/// Where the clips come from. Shared by train, evaluate, predict and demo.
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: DatasetKind = .synthetic

    @Option(help: "Task on the synthetic benchmark: video (multi-label actions) or entity (sub-activity and role per entity).")
    var task: TaskKind = .video

    @Option(name: .customLong("train-clips"), help: "Synthetic: training clips.")
    var trainClips = SyntheticSettings().trainClips

    @Option(name: .customLong("validation-clips"), help: "Synthetic: validation clips.")
    var validationClips = SyntheticSettings().validationClips

    @Option(name: .customLong("test-clips"), help: "Synthetic: test clips.")
    var testClips = SyntheticSettings().testClips

    @Option(help: "Synthetic: frames per clip.")
    var frames = SyntheticSettings().frames

    @Option(name: .customLong("feature-size"), help: "Synthetic: appearance feature size.")
    var featureSize = SyntheticSettings().featureSize

    @Option(name: .customLong("feature-noise"), help: "Synthetic: per-frame appearance noise (standard deviation).")
    var featureNoise = SyntheticSettings().featureNoise

    @Option(name: .customLong("data-seed"), help: "Synthetic: seed of the generated clips.")
    var dataSeed: UInt64 = SyntheticSettings().seed

    var synthetic: SyntheticSettings {
        var s = SyntheticSettings()
        s.trainClips = trainClips
        s.validationClips = validationClips
        s.testClips = testClips
        s.frames = frames
        s.featureSize = featureSize
        s.featureNoise = featureNoise
        s.seed = dataSeed
        return s
    }

    func validate() throws {
        do { try synthetic.validate() } catch { throw ValidationError(error.description) }
    }

    func load() throws -> LoadedData {
        switch dataset {
        case .synthetic:
            let s = synthetic
            let train = try SyntheticHOI.dataset(s, split: .train, task: task)
            return LoadedData(info: train.info, train: train,
                              validation: try SyntheticHOI.dataset(s, split: .validation, task: task),
                              test: try SyntheticHOI.dataset(s, split: .test, task: task),
                              description: "synthetic \(task.rawValue) \(TrainingRun.json(s))",
                              orderPairs: task == .video ? SyntheticVocabulary.orderPairs : [])
        }
    }
}

extension TaskKind: ExpressibleByArgument {}
