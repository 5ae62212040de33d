import Foundation
import HOIData
import Logging
import NN

/// One model to train in an experiment.
public struct RunSpec: Sendable {
    /// Short name shown in tables ("glidn mutual").
    public let name: String
    public let config: ModelConfig
    public let options: TrainingOptions

    public init(name: String, config: ModelConfig, options: TrainingOptions) {
        self.name = name
        self.config = config
        self.options = options
    }

    /// A name usable as a folder name.
    public var folderName: String {
        name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.reduce(into: "") { $0.append($1) }
            + "-seed\(options.seed)"
    }
}

/// What one trained model achieved.
public struct RunResult: Sendable {
    public let spec: RunSpec
    public let parameters: Int
    public let bestEpoch: Int
    public let history: [EpochRecord]
    public let test: Evaluation
    public let trainingSeconds: Double
    public let checkpoint: URL

    public init(
        spec: RunSpec, parameters: Int, bestEpoch: Int, history: [EpochRecord], test: Evaluation,
        trainingSeconds: Double,
        checkpoint: URL
    ) {
        (self.spec, self.parameters, self.bestEpoch, self.history) = (spec, parameters, bestEpoch, history)
        (self.test, self.trainingSeconds, self.checkpoint) = (test, trainingSeconds, checkpoint)
    }
}

/// The splits an experiment trains and tests on.
public struct ExperimentData: Sendable {
    public let info: DatasetInfo
    public let train: Dataset
    public let validation: Dataset?
    public let test: Dataset
    public let description: String
    public let orderPairs: [(Int, Int)]
    /// Stored in every checkpoint (`TrainingRun.metadata`): how to rebuild this data.
    public var metadata: [String: String] = [:]

    public init(
        info: DatasetInfo, train: Dataset, validation: Dataset?, test: Dataset, description: String,
        orderPairs: [(Int, Int)]
    ) {
        self.info = info
        self.train = train
        self.validation = validation
        self.test = test
        self.description = description
        self.orderPairs = orderPairs
    }
}

/// Trains several models on the same data, each in its own folder, and tests the best
/// checkpoint of each on held-out clips.
public enum Experiment {
    static let logger = Logger(label: "glidn.experiment")

    public static func run(
        _ spec: RunSpec, data: ExperimentData, output: URL, observer: TrainingObserver? = nil
    ) throws -> RunResult {
        let folder = output.appendingPathComponent(spec.folderName)
        var config = spec.config
        if let weight = spec.options.fusion.localWeight { config.fusionWeight = weight }
        let model = try GLIDNModel(config: config, seed: spec.options.seed)
        let trainer = try Trainer(model: model, options: spec.options, trainingClips: data.train.count)
        let run = TrainingRun(trainer: trainer, output: folder, dataInfo: data.info, dataDescription: data.description)
        run.metadata = data.metadata
        let began = Date()
        try run.run(train: data.train, validation: data.validation, orderPairs: data.orderPairs, observer: observer)
        if spec.options.fusion == .validation, let validation = data.validation {
            try run.chooseFusion(on: validation, orderPairs: data.orderPairs)
        }
        let seconds = Date().timeIntervalSince(began)
        let best = folder.appendingPathComponent(TrainingRun.bestFile)
        let (trained, _) = try ModelCheckpoint.load(best)
        let (test, _) = try Evaluator.run(trained, on: data.test, orderPairs: data.orderPairs)
        logger.info("\(spec.name): test \(Evaluation.headlineName(spec.config.task)) \(test.headline)")
        return RunResult(
            spec: spec, parameters: model.parameterCount, bestEpoch: run.bestEpoch ?? spec.options.epochs,
            history: run.history, test: test, trainingSeconds: seconds, checkpoint: best)
    }

    /// Mean and sample standard deviation of each test metric over runs of one name.
    public static func summarize(_ results: [RunResult]) -> [(
        name: String, runs: Int, metrics: [String: (mean: Double, std: Double)]
    )] {
        var order: [String] = []
        var groups: [String: [RunResult]] = [:]
        for r in results {
            if groups[r.spec.name] == nil { order.append(r.spec.name) }
            groups[r.spec.name, default: []].append(r)
        }
        return order.map { name in
            let runs = groups[name]!
            var metrics: [String: (Double, Double)] = [:]
            for key in runs[0].test.metrics.keys {
                let values = runs.compactMap { $0.test.metrics[key] }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance =
                    values.count > 1
                    ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
                metrics[key] = (mean, variance.squareRoot())
            }
            return (name, runs.count, metrics)
        }
    }
}
