import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// A trained model to evaluate or predict with.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Checkpoint (.safetensors) written by `glidn train`.", completion: .file(extensions: ["safetensors"]))
    var checkpoint: String

    @Option(help: "Which clips: train, validation, test or all (default: test when the data set has one, all otherwise).")
    var split: SplitChoice?

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize = 64

    enum SplitChoice: String, ExpressibleByArgument { case train, validation, test, all }

    func validate() throws {
        guard (1...TrainingOptions.maximumBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must lie in 1…\(TrainingOptions.maximumBatchSize), got \(batchSize)")
        }
    }

    func loadModel() throws -> (GLIDNModel, [String: String]) {
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw ValidationError("no checkpoint at \(checkpoint)")
        }
        return try ModelCheckpoint.load(URL(fileURLWithPath: checkpoint))
    }

    /// The data to score the checkpoint on: the options given, over the data options the
    /// checkpoint's training run stored (so that a model is scored on the data it was trained
    /// for unless told otherwise). Says on standard error where the data differs from training.
    func data(_ given: DataOptions, metadata: [String: String]) throws -> DataSplits {
        let recorded = DataChoices.stored(in: metadata)
        let choices = given.choices.over(recorded: recorded)
        if let recorded {
            let differences = choices.differences(from: recorded, otherName: "in training")
            if !differences.isEmpty {
                FileHandle.standardError.write(Data("note: other data than \(checkpoint) was trained on: \(differences.joined(separator: ", "))\n".utf8))
            }
        }
        return try DataOptions.load(choices)
    }

    func pick(_ data: DataSplits) throws -> (name: String, clips: Dataset) {
        switch split ?? (data.test == nil ? .all : .test) {
        case .train: return ("train", data.train)
        case .all: return ("all", data.all)
        case .validation:
            guard let v = data.validation else { throw ValidationError("the data set has no validation split") }
            return ("validation", v)
        case .test:
            guard let t = data.test else { throw ValidationError("the data set has no test split (use --split all)") }
            return ("test", t)
        }
    }

    /// Checks that the model was trained for this kind of data.
    func check(_ model: GLIDNModel, against info: DatasetInfo) throws {
        let c = model.config
        guard c.task == info.task else {
            let hint = (DatasetCatalogue.provider(named: info.name)?.tasks.count ?? 0) > 1 ? " (choose the data set's task with --task)" : ""
            throw ValidationError("the checkpoint is for the \(c.task.rawValue) task, the \(info.name) data for the \(info.task.rawValue) task\(hint)")
        }
        guard c.temporalContext == info.temporalContext else {
            throw ValidationError("the checkpoint's global graph spans '\(c.temporalContext.rawValue)', the data's labels need '\(info.temporalContext.rawValue)' (a model trained for detection cannot score anticipation, nor the reverse: pass the --task it was trained for)")
        }
        guard c.features == info.featureSize, c.categories >= info.categoryNames.count else {
            throw ValidationError("the checkpoint expects \(c.features) features and \(c.categories) categories; the data has \(info.featureSize) and \(info.categoryNames.count)")
        }
    }
}
