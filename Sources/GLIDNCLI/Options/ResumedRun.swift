import ArgumentParser
import Foundation
import GLIDN

/// `glidn train --resume`: the stopped run's own configuration, training options and data,
/// read from its resume file. Options given again must agree with them; the one exception
/// is a larger `--epochs`, which extends the run.
struct ResumedRun {
    let config: ModelConfig
    let options: TrainingOptions
    let data: DataChoices
    let storedEpochs: Int

    init(folder: URL, data given: DataOptions, model: ModelOptions, training: TrainingArguments) throws {
        let stored = try TrainingRun.stored(in: folder)
        // Runs written before the data options were stored: the options given describe the data.
        let storedData = DataChoices.stored(in: stored.metadata) ?? given.choices
        var conflicts = given.choices.over(storedData).differences(from: storedData, otherName: "the stored run")
        let config = try model.overriding(stored.config)
        conflicts += Self.differences(TrainingRun.json(config), TrainingRun.json(stored.config)) { "--" + $0.replacingOccurrences(of: "_", with: "-") }
        var options = training.overriding(stored.options)
        let epochs = options.epochs
        options.epochs = stored.options.epochs
        conflicts += Self.differences(TrainingRun.json(options), TrainingRun.json(stored.options), name: Self.trainingOption)
        guard conflicts.isEmpty else {
            throw ValidationError("--resume continues the run in \(folder.path) with its stored options; these given options conflict with it: "
                                  + conflicts.joined(separator: "; ") + ". Leave them out, or train into another --output.")
        }
        guard epochs >= stored.options.epochs else {
            throw ValidationError("--epochs \(epochs) is fewer than the stored run's \(stored.options.epochs): a run can be extended, not shortened (its best.safetensors and epoch checkpoints are kept)")
        }
        options.epochs = epochs
        (self.config, self.options, self.data, storedEpochs) = (stored.config, options, storedData, stored.options.epochs)
    }

    /// What resuming does, for the user: where the run stands and how a longer run changes the schedule.
    func summary(completed: Int, stepsPerEpoch: Int) -> String {
        var text = "resuming after epoch \(completed) of \(options.epochs) with the stored options"
        if options.epochs > storedEpochs {
            text += "; extended from \(storedEpochs) to \(options.epochs) epochs: the \(options.schedule.rawValue) learning-rate schedule now spans \(options.epochs) epochs"
            if options.schedule == .cosine {
                text += " (epochs 1–\(completed) followed the \(storedEpochs)-epoch schedule; from step \(completed * stepsPerEpoch + 1) the rate follows the longer one)"
            }
        }
        return text
    }

    /// The option a training-options key comes from.
    static func trainingOption(_ key: String) -> String {
        let names = ["learningRate": "--lr", "warmupEpochs": "--warmup", "batchSize": "--batch-size", "weightDecay": "--weight-decay",
                     "clipNorm": "--clip-norm"]
        return names[key] ?? "--" + key
    }

    /// "NAME given (the stored run: stored)" for each top-level key whose value differs.
    static func differences(_ given: String, _ stored: String, name: (String) -> String) -> [String] {
        SettingDifferences.listed(SettingDifferences.values(given), SettingDifferences.values(stored), otherName: "the stored run",
                                  missing: "none", name: name)
    }
}
