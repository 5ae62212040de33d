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

    @Option(help: "Optimizer: adamw or sgd.")
    var optimizer: TrainingOptions.OptimizerKind = .adamw

    @Option(parsing: .unconditional, help: "SGD momentum.")
    var momentum: Float = 0.9

    @Option(help: "Learning-rate schedule: cosine (after a linear warm-up) or constant.")
    var schedule: TrainingOptions.ScheduleKind = .cosine

    @Option(parsing: .unconditional, help: "Warm-up length in epochs (default: \(Recipe.standard.warmupEpochs!)).")
    var warmup: Double?

    @Option(name: .customLong("clip-norm"), parsing: .unconditional, help: "Clip the gradient norm to this (0: no clipping).")
    var clipNorm: Float = 5

    @Option(help: "How the prediction fuses the branches: mean, local, global, or validation (the weight that scores best on the validation data, chosen after training) (default: mean, or the data set's recipe).")
    var fusion: TrainingOptions.FusionChoice?

    @Option(help: "Seed of initialisation, shuffling and dropout.")
    var seed: UInt64 = 0

    /// The training options: these arguments over `recipe`, over the standard defaults.
    func options(_ recipe: Recipe = .standard) -> TrainingOptions {
        let r = Recipe(epochs: epochs, batchSize: batchSize, learningRate: learningRate, weightDecay: weightDecay, warmupEpochs: warmup)
            .over(recipe.over(.standard))
        var o = TrainingOptions()
        o.epochs = r.epochs!
        o.batchSize = r.batchSize!
        o.learningRate = r.learningRate!
        o.weightDecay = r.weightDecay!
        o.optimizer = optimizer
        o.momentum = momentum
        o.schedule = schedule
        o.warmupEpochs = r.warmupEpochs!
        o.clipNorm = clipNorm > 0 ? clipNorm : nil
        o.seed = seed
        o.fusion = fusion ?? recipe.fusion ?? .mean
        return o
    }

    func validate() throws {
        guard clipNorm >= 0 else { throw ValidationError("--clip-norm cannot be negative, got \(clipNorm)") }
        do { try options().validate() } catch { throw ValidationError(error.description) }
    }
}
