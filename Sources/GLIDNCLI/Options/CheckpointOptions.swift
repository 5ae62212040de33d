import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// A trained model to evaluate or predict with.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Checkpoint (.safetensors) written by `glidn train`.", completion: .file(extensions: ["safetensors"]))
    var checkpoint: String

    @Option(help: "Which split to use when the data set has several: train, validation or test.")
    var split: SplitChoice = .test

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize = 64

    enum SplitChoice: String, ExpressibleByArgument { case train, validation, test }

    func loadModel() throws -> (GLIDNModel, [String: String]) {
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw ValidationError("no checkpoint at \(checkpoint)")
        }
        return try ModelCheckpoint.load(URL(fileURLWithPath: checkpoint))
    }

    func pick(_ data: LoadedData) throws -> Dataset {
        let chosen: Dataset?
        switch split {
        case .train: chosen = data.train
        case .validation: chosen = data.validation
        case .test: chosen = data.test
        }
        guard let chosen else { throw ValidationError("the data set has no \(split.rawValue) split") }
        return chosen
    }

    /// Checks that the model was trained for this kind of data.
    func check(_ model: GLIDNModel, against info: DatasetInfo) throws {
        let c = model.config
        guard c.task == info.task else {
            throw ValidationError("the checkpoint is for the \(c.task.rawValue) task, the data for the \(info.task.rawValue) task (use --task)")
        }
        guard c.features == info.featureSize, c.categories >= info.categoryNames.count else {
            throw ValidationError("the checkpoint expects \(c.features) features and \(c.categories) categories; the data has \(info.featureSize) and \(info.categoryNames.count)")
        }
    }
}
