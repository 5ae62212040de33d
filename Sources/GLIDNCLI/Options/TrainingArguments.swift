import ArgumentParser
import GLIDN

extension TrainingOptions.OptimizerKind: ExpressibleByArgument {}
extension TrainingOptions.ScheduleKind: ExpressibleByArgument {}
extension TrainingOptions.FusionChoice: ExpressibleByArgument {}

/// How to train. An option left out takes the data set's recipe, else the standard default.
struct TrainingArguments: ParsableArguments {
    @Option(help: "Epochs (default: \(Recipe.standard.epochs!)).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Clips per batch (default: \(Recipe.standard.batchSize!)).")
    var batchSize: Int?

    @Option(name: [.customLong("lr"), .customLong("learning-rate")], parsing: .unconditional, help: "Peak learning rate (default: \(Recipe.standard.learningRate!)).")
    var learningRate: Float?

    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "Weight decay (default: \(Recipe.standard.weightDecay!)).")
    var weightDecay: Float?

    @Option(help: "Optimizer: adamw or sgd (default: adamw).")
    var optimizer: TrainingOptions.OptimizerKind?

    @Option(parsing: .unconditional, help: "SGD momentum (default: \(TrainingOptions().momentum)).")
    var momentum: Float?

    @Option(help: "Learning-rate schedule: cosine (after a linear warm-up) or constant (default: cosine).")
    var schedule: TrainingOptions.ScheduleKind?

    @Option(parsing: .unconditional, help: "Warm-up length in epochs (default: \(Recipe.standard.warmupEpochs!)).")
    var warmup: Double?

    @Option(name: .customLong("clip-norm"), parsing: .unconditional, help: "Clip the gradient norm to this, 0 for no clipping (default: \(TrainingOptions().clipNorm ?? 0)).")
    var clipNorm: Float?

    @Option(help: "How the prediction fuses the branches: mean, local, global, or validation (the weight that scores best on the validation data, chosen after training) (default: mean, or the data set's recipe).")
    var fusion: TrainingOptions.FusionChoice?

    @Option(help: "Seed of initialisation, shuffling and dropout (default: 0).")
    var seed: UInt64?

    @Option(help: "Stop when the validation metric has not improved for this many epochs (default: never; best.safetensors keeps the best epoch).")
    var patience: Int?

    /// The training options: these arguments over `recipe`, over the standard defaults.
    func options(_ recipe: Recipe = .standard) -> TrainingOptions {
        let r = Recipe(epochs: epochs, batchSize: batchSize, learningRate: learningRate, weightDecay: weightDecay, warmupEpochs: warmup)
            .over(recipe.over(.standard))
        var o = TrainingOptions()
        o.epochs = r.epochs!
        o.batchSize = r.batchSize!
        o.learningRate = r.learningRate!
        o.weightDecay = r.weightDecay!
        o.warmupEpochs = r.warmupEpochs!
        o.fusion = fusion ?? recipe.fusion ?? .mean
        return overriding(o, includingRecipe: false)
    }

    /// A stored run's options with the arguments given here laid over them (`train
    /// --resume`: whatever differs afterwards, but a longer run, is an argument that conflicts).
    func overriding(_ options: TrainingOptions, includingRecipe: Bool = true) -> TrainingOptions {
        var o = options
        if includingRecipe {
            if let epochs { o.epochs = epochs }
            if let batchSize { o.batchSize = batchSize }
            if let learningRate { o.learningRate = learningRate }
            if let weightDecay { o.weightDecay = weightDecay }
            if let warmup { o.warmupEpochs = warmup }
            if let fusion { o.fusion = fusion }
        }
        if let optimizer { o.optimizer = optimizer }
        if let momentum { o.momentum = momentum }
        if let schedule { o.schedule = schedule }
        if let clipNorm { o.clipNorm = clipNorm > 0 ? clipNorm : nil }
        if let seed { o.seed = seed }
        if let patience { o.patience = patience }
        return o
    }

    func validate() throws {
        if let clipNorm, !(clipNorm >= 0) { throw ValidationError("--clip-norm cannot be negative, got \(clipNorm)") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1 epoch, got \(patience)") }
        do { try options().validate() } catch { throw ValidationError(error.description) }
    }
}
