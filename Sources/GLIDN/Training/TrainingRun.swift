import Autograd
import Foundation
import HOIData
import Logging
import NN

/// Receives what a training run does, for display.
public protocol TrainingObserver: AnyObject {
    func stepFinished(_ progress: StepProgress)
    func epochFinished(_ record: EpochRecord, isBest: Bool)
}

/// A whole training run in an output folder:
///
/// - `epoch-NNN.safetensors`: the model after each epoch (docs/MODEL.md names, config in metadata);
/// - `best.safetensors`: the model of the best validation epoch so far;
/// - `metrics.jsonl`: one `EpochRecord` per line;
/// - `resume.safetensors`: model, optimizer state and the run's history, enough for
///   `--resume` to continue to exactly the weights an uninterrupted run would reach.
///
/// Every file is written atomically.
public final class TrainingRun {
    public static let resumeFile = "resume.safetensors"
    public static let bestFile = "best.safetensors"
    public static let metricsFile = "metrics.jsonl"

    public let trainer: Trainer
    public let output: URL
    public let dataInfo: DatasetInfo
    /// A description of the data, stored so that resuming on other data is refused.
    public let dataDescription: String
    public private(set) var history: [EpochRecord] = []
    public private(set) var bestEpoch: Int?
    public private(set) var bestMetric: Double?
    /// Where the epoch in progress stood when the run was interrupted (saved in the resume file).
    public private(set) var position: EpochPosition?
    /// Extra metadata every checkpoint and the resume file carry (the command line stores
    /// the data options it was given, so that evaluate, predict and resume rebuild the data).
    public var metadata: [String: String] = [:]
    /// Which epochs keep their `epoch-NNN.safetensors`: every `keepEvery`-th and the last
    /// (1: all, the default; 0: none). `best`, `resume` and `metrics.jsonl` are always written.
    public var keepEvery = 1
    let logger = Logger(label: "glidn.training")

    public init(trainer: Trainer, output: URL, dataInfo: DatasetInfo, dataDescription: String) {
        self.trainer = trainer
        self.output = output
        self.dataInfo = dataInfo
        self.dataDescription = dataDescription
    }

    public static func epochFile(_ epoch: Int) -> String { String(format: "epoch-%03d.safetensors", epoch) }

    public var completedEpochs: Int { history.last?.epoch ?? 0 }

    /// Whether early stopping (`TrainingOptions.patience`) has ended the run: that many
    /// epochs since the best one, with validation data to judge by.
    public var stoppedEarly: Bool {
        guard let patience = trainer.options.patience, let bestEpoch, history.last?.validation.isEmpty == false else {
            return false
        }
        return completedEpochs - bestEpoch >= patience
    }

    /// The run stopped on request in the middle of an epoch; its resume file holds that step.
    public struct Interrupted: Error, CustomStringConvertible {
        public let epoch: Int
        public let stepInEpoch: Int
        public let stepsPerEpoch: Int
        public let resumeFile: URL
        public var description: String {
            "interrupted in epoch \(epoch) after step \(stepInEpoch) of \(stepsPerEpoch); saved \(resumeFile.path)"
        }
    }

    /// Trains the remaining epochs (or up to `until`, to stop early and resume later);
    /// evaluates on `validation` after each. When `shouldStop` says yes after a step, the
    /// resume file is written at that step and `Interrupted` thrown: `--resume` continues from
    /// there to exactly the weights an uninterrupted run reaches.
    public func run(
        train: Dataset, validation: Dataset?, orderPairs: [(Int, Int)] = [],
        observer: TrainingObserver? = nil, until: Int? = nil, shouldStop: @escaping () -> Bool = { false }
    ) throws {
        guard train.count > 0 else { throw TrainingError.emptyDataset("training") }
        BLASLibrary.logChoice()
        let start = completedEpochs + 1
        let end = min(until ?? trainer.options.epochs, trainer.options.epochs)
        guard start <= end, !stoppedEarly else {
            logger.info("the run is already complete (\(completedEpochs) epochs)")
            return
        }
        for epoch in start...end where !stoppedEarly {
            let began = Date()
            let rate = trainer.schedule.rate(at: (epoch - 1) * trainer.stepsPerEpoch)  // the epoch's first step
            let result = try trainer.trainEpoch(
                epoch, on: train, from: position?.epoch == epoch ? position : nil, shouldStop: shouldStop
            ) { observer?.stepFinished($0) }
            guard case .finished(let train) = result else {
                if case .interrupted(let stopped) = result { position = stopped }
                try saveResumeState()
                throw Interrupted(
                    epoch: epoch, stepInEpoch: position?.batchesDone ?? 0, stepsPerEpoch: trainer.stepsPerEpoch,
                    resumeFile: output.appendingPathComponent(Self.resumeFile))
            }
            position = nil
            var metrics: [String: Double] = [:]
            var headline: Double?
            if let validation, validation.count > 0 {
                let (evaluation, _) = try Evaluator.run(
                    trainer.model, on: validation, batchSize: max(trainer.options.batchSize, 64),
                    orderPairs: orderPairs)
                metrics = evaluation.metrics
                headline = evaluation.headline
            }
            let record = EpochRecord(
                epoch: epoch, step: trainer.step, learningRate: rate, train: train,
                validation: metrics, seconds: Date().timeIntervalSince(began))
            history.append(record)
            // Without validation, the latest epoch counts as the best.
            let score = headline ?? Double(epoch)
            let isBest = bestMetric.map { score > $0 } ?? true
            if isBest {
                bestMetric = score
                bestEpoch = epoch
            }
            try save(epoch: epoch, isBest: isBest)
            observer?.epochFinished(record, isBest: isBest)
            if epoch < end && !stoppedEarly && shouldStop() {  // asked during validation or saving
                throw Interrupted(
                    epoch: epoch, stepInEpoch: trainer.stepsPerEpoch, stepsPerEpoch: trainer.stepsPerEpoch,
                    resumeFile: output.appendingPathComponent(Self.resumeFile))
            }
        }
    }

    func checkpointMetadata(epoch: Int) -> [String: String] {
        var m = metadata.merging(["epoch": String(epoch), "dataset": Self.json(dataInfo)]) { $1 }
        if let record = history.last { m["metrics"] = Self.json(record) }
        return m
    }

    func save(epoch: Int, isBest: Bool) throws {
        let metadata = checkpointMetadata(epoch: epoch)
        if keepEvery > 0 && (epoch % keepEvery == 0 || epoch == trainer.options.epochs) {
            try ModelCheckpoint.save(
                trainer.model, to: output.appendingPathComponent(Self.epochFile(epoch)), metadata: metadata)
        }
        if isBest {
            try ModelCheckpoint.save(
                trainer.model, to: output.appendingPathComponent(Self.bestFile), metadata: metadata)
        }
        let lines = history.map { Self.json($0) }.joined(separator: "\n") + "\n"
        try AtomicFile.write(lines, to: output.appendingPathComponent(Self.metricsFile))
        try saveResumeState()
    }

    /// The resume file's entry for an epoch stopped part-way.
    static let positionKey = "epoch_position"

    func saveResumeState() throws {
        var tensors = trainer.model.namedParameters().map {
            (name: "model." + $0.name, tensor: $0.parameter.value.detached())
        }
        tensors += (trainer.teaching?.namedParameters ?? []).map {
            (name: $0.name, tensor: $0.parameter.value.detached())
        }
        tensors += trainer.optimizer.state().sorted { $0.key < $1.key }.map {
            (name: "optimizer." + $0.key, tensor: $0.value)
        }
        var metadata = self.metadata.merging([
            "config": trainer.model.config.json(), "options": trainer.options.json(), "data": dataDescription,
            "dataset": Self.json(dataInfo), "step": String(trainer.step), "history": Self.json(history),
        ]) { $1 }
        if let bestEpoch, let bestMetric {
            metadata["best_epoch"] = String(bestEpoch)
            metadata["best_metric"] = String(bestMetric)
        }
        if let position { metadata[Self.positionKey] = Self.json(position) }
        try SafeTensors.write(tensors, metadata: metadata, to: output.appendingPathComponent(Self.resumeFile))
    }

    /// Restores a run from its `resume.safetensors`. The model configuration, the data
    /// and the options must be those of the stopped run, except that `epochs` may grow.
    public func restore() throws {
        let url = output.appendingPathComponent(Self.resumeFile)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError.nothingToResume(path: url.path)
        }
        let file = try SafeTensorsFile.read(contentsOf: url)
        func fail(_ p: String) -> TrainingError { .resumeMismatch(path: url.path, problem: p) }
        let m = file.metadata
        guard let configJSON = m["config"], let optionsJSON = m["options"], let historyJSON = m["history"],
            let stepText = m["step"], let step = Int(stepText)
        else {
            throw fail("it lacks the run's configuration, options, history or step")
        }
        let config = try ModelConfig.decode(json: configJSON, source: url.path)
        guard config == trainer.model.config else {
            throw fail("it was trained with another model configuration (\(configJSON))")
        }
        // A step count no run of these options could reach is a damaged file.
        guard step >= 0, step <= trainer.options.epochs * trainer.stepsPerEpoch else {
            throw fail(
                "its step count \(step) is impossible for \(trainer.options.epochs) epochs of \(trainer.stepsPerEpoch) steps"
            )
        }
        guard var stored = try? TrainingOptions.decode(json: optionsJSON, source: url.path) else {
            throw fail("its training options cannot be read")
        }
        stored.epochs = trainer.options.epochs
        guard stored == trainer.options else { throw fail("it was trained with other options (\(optionsJSON))") }
        guard m["data"] == dataDescription else { throw fail("it was trained on other data (\(m["data"] ?? "?"))") }
        guard let history = try? JSONDecoder().decode([EpochRecord].self, from: Data(historyJSON.utf8)) else {
            throw fail("its history cannot be read")
        }
        guard history.map(\.epoch) == Array(1..<(history.count + 1)), history.count <= trainer.options.epochs else {
            throw fail("its history is not epochs 1…\(history.count) of at most \(trainer.options.epochs)")
        }
        ModelCheckpoint.noteIfUnchecked(file)
        try trainer.model.load(try file.tensors(prefix: "model."), source: url.path)
        if let parts = trainer.teaching?.scheme.module {
            try parts.load(try file.tensors(prefix: "teaching."), source: "\(url.path) (the teacher scheme's parts)")
        }
        do {
            try trainer.optimizer.load(state: try file.tensors(prefix: "optimizer."))
        } catch let error as StateLoadingError {
            throw StateLoadingError(source: "\(url.path) (its optimizer state)", problems: error.problems)
        }
        var position: EpochPosition?
        if let text = m[Self.positionKey] {
            guard let p = try? JSONDecoder().decode(EpochPosition.self, from: Data(text.utf8)),
                p.epoch == history.count + 1, (1..<trainer.stepsPerEpoch).contains(p.batchesDone),
                step == history.count * trainer.stepsPerEpoch + p.batchesDone
            else {
                throw fail("its position in epoch \(history.count + 1) does not agree with its step count \(step)")
            }
            position = p
        } else if step != history.count * trainer.stepsPerEpoch {
            throw fail("its step count \(step) does not end epoch \(history.count)")
        }
        trainer.step = step
        self.history = history
        self.position = position
        bestEpoch = m["best_epoch"].flatMap(Int.init)
        bestMetric = m["best_metric"].flatMap(Double.init)
        logger.info("resuming \(url.path) after epoch \(completedEpochs), step \(step)")
    }

    /// What a stopped run in `folder` was: its model configuration, training options and
    /// metadata, read from its resume file (so that `--resume` needs none of its options again).
    public static func stored(in folder: URL) throws -> Stored {
        let url = folder.appendingPathComponent(resumeFile)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError.nothingToResume(path: url.path)
        }
        let m = try SafeTensorsFile.read(contentsOf: url).metadata
        guard let configJSON = m["config"], let optionsJSON = m["options"] else {
            throw TrainingError.resumeMismatch(path: url.path, problem: "it lacks the run's configuration or options")
        }
        let config = try ModelConfig.decode(json: configJSON, source: url.path)
        guard let options = try? TrainingOptions.decode(json: optionsJSON, source: url.path) else {
            throw TrainingError.resumeMismatch(path: url.path, problem: "its training options cannot be read")
        }
        return Stored(config: config, options: options, metadata: m)
    }

    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

extension TrainingRun {
    /// The local weights a validation sweep tries: 0, 0.1, …, 1.
    public static let fusionWeights: [Float] = (0...10).map { Float($0) / 10 }

    /// Chooses the fusion weight of `best.safetensors` on `validation`: the weight whose
    /// prediction w · z_L + (1 - w) · z_G scores best (the headline metric; on a tie, the one
    /// nearest 0.5), written into the checkpoint's configuration. Returns each weight's score.
    @discardableResult
    public func chooseFusion(on validation: Dataset, orderPairs: [(Int, Int)] = []) throws -> [(
        weight: Float, score: Double
    )] {
        let url = output.appendingPathComponent(Self.bestFile)
        let (model, metadata) = try ModelCheckpoint.load(url)
        guard model.config.variant == .glidn else { return [] }
        let sweep = try Evaluator.fusionSweep(
            model, on: validation, weights: Self.fusionWeights, orderPairs: orderPairs)
        let scores = sweep.map { (weight: $0.weight, score: $0.evaluation.headline) }
        guard
            let best = scores.max(by: { a, b in
                a.score < b.score || (a.score == b.score && abs(a.weight - 0.5) > abs(b.weight - 0.5))
            })
        else {
            return scores
        }
        try model.setFusionWeight(best.weight)
        var kept = metadata
        kept.removeValue(forKey: "config")
        kept.removeValue(forKey: ModelCheckpoint.formatKey)
        kept["fusion_sweep"] = Self.json(
            scores.map { [String(format: "%.1f", $0.weight), String(format: "%.4f", $0.score)] })
        try ModelCheckpoint.save(model, to: url, metadata: kept)
        logger.info("fusion chosen on validation: local weight \(best.weight) (\(best.score))")
        return scores
    }
}
