import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// `glidn train`: trains one model variant and keeps its checkpoints and metrics.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model; writes epoch-NNN.safetensors, best.safetensors, metrics.jsonl and resume.safetensors.")

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Model") var model: ModelOptions
    @OptionGroup(title: "Training") var training: TrainingArguments

    @Option(help: "Output folder (default: runs/<dataset>-<variant>-<distill>).")
    var output: String?

    @Flag(help: "Continue the run stopped in the output folder.")
    var resume = false

    func run() throws {
        // Options left out take the data set's recipe: the best configuration measured for it.
        let recipe = Recipes.recipe(dataset: data.datasetName, task: data.task)
        let planned = model.resolved(recipe)
        let distill = planned.variant == .glidn ? planned.distill ?? Recipe.standard.distill! : NoDistillation.name
        let folder = URL(fileURLWithPath: output ?? "runs/\(data.datasetName)-\((planned.variant ?? .glidn).rawValue)-\(distill)")
        // Before any work: the output folder can be written and overwrites no input.
        try OutputCheck.folder(folder, option: "--output", writes: [TrainingRun.metricsFile, TrainingRun.bestFile, TrainingRun.resumeFile],
                               inputs: [data.data, data.annotations, data.testAnnotations])
        if !resume, FileManager.default.fileExists(atPath: folder.appendingPathComponent(TrainingRun.resumeFile).path) {
            throw ValidationError("\(folder.path) already holds a run: pass --resume to continue it, or choose another --output")
        }
        let resumed = resume ? try ResumedRun(folder: folder, data: data, model: model, training: training) : nil
        let choices = resumed?.data ?? data.choices
        let loaded = try DataOptions.load(choices)
        let config = try resumed?.config ?? model.config(for: loaded.info, recipe: recipe)
        let options = resumed?.options ?? training.options(recipe)
        var fused = config
        if resumed == nil, let weight = options.fusion.localWeight { fused.fusionWeight = weight }
        let network = try GLIDNModel(config: fused, seed: options.seed)
        let trainer = try Trainer(model: network, options: options, trainingClips: loaded.train.count)
        let run = TrainingRun(trainer: trainer, output: folder, dataInfo: loaded.info, dataDescription: loaded.description)
        run.metadata[DataChoices.metadataKey] = choices.json()
        if let resumed {
            try run.restore()
            print(resumed.summary(completed: run.completedEpochs, stepsPerEpoch: trainer.stepsPerEpoch))
        }
        print("training \(config.variant.rawValue) (distill \(config.effectiveDistillation)), \(network.parameterCount) parameters, on \(loaded.train.count) \(loaded.info.name) clips; output \(folder.path)")
        if resumed == nil, let evidence = recipe.evidence {
            print("options not given follow the \(data.datasetName) recipe (\(evidence)): hidden \(config.hidden), heads \(config.heads), "
                  + "dropout \(config.dropout), \(options.epochs) epochs, batch \(options.batchSize), lr \(options.learningRate)")
        }
        try run.run(train: loaded.train, validation: loaded.validation, orderPairs: loaded.info.orderPairs,
                    observer: ProgressDisplay(label: config.variant.rawValue, terms: network.objective.termNames))
        if run.stoppedEarly, let best = run.bestEpoch {
            print("stopped early after epoch \(run.completedEpochs): no better validation \(Evaluation.headlineName(config.task)) since epoch \(best) (--patience \(options.patience ?? 0))")
        }
        if options.fusion == .validation, let validation = loaded.validation, config.variant == .glidn {
            let scores = try run.chooseFusion(on: validation, orderPairs: loaded.info.orderPairs)
            if let best = try? ModelCheckpoint.load(folder.appendingPathComponent(TrainingRun.bestFile)).model.config.fusionWeight {
                print("fusion chosen on the validation data: local weight \(best) ("
                      + scores.map { String(format: "%.1f: %.2f", $0.weight, $0.score) }.joined(separator: ", ") + ")")
            }
        }
        if loaded.validation == nil {
            print("no validation data: best.safetensors is the last epoch's model (\(folder.appendingPathComponent(TrainingRun.bestFile).path))")
        } else if let best = run.bestEpoch {
            print("best epoch \(best): validation \(Evaluation.headlineName(config.task)) \(String(format: "%.2f", run.bestMetric ?? 0)); checkpoint \(folder.appendingPathComponent(TrainingRun.bestFile).path)")
        }
    }
}
