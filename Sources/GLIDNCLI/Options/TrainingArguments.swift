import ArgumentParser
import GLIDN

extension TrainingOptions.OptimizerKind: ExpressibleByArgument {}
extension TrainingOptions.ScheduleKind: ExpressibleByArgument {}

/// How to train.
struct TrainingArguments: ParsableArguments {
    @Option(help: "Epochs.")
    var epochs = 30

    @Option(name: .customLong("batch-size"), help: "Clips per batch.")
    var batchSize = 32

    @Option(name: [.customLong("lr"), .customLong("learning-rate")], help: "Peak learning rate.")
    var learningRate: Float = 1e-2

    @Option(name: .customLong("weight-decay"), help: "Weight decay.")
    var weightDecay: Float = 1e-4

    @Option(help: "Optimizer: adamw or sgd.")
    var optimizer: TrainingOptions.OptimizerKind = .adamw

    @Option(help: "SGD momentum.")
    var momentum: Float = 0.9

    @Option(help: "Learning-rate schedule: cosine (after a linear warm-up) or constant.")
    var schedule: TrainingOptions.ScheduleKind = .cosine

    @Option(help: "Warm-up length in epochs.")
    var warmup: Double = 1

    @Option(name: .customLong("clip-norm"), help: "Clip the gradient norm to this (0: no clipping).")
    var clipNorm: Float = 5

    @Option(help: "Seed of initialisation, shuffling and dropout.")
    var seed: UInt64 = 0

    var options: TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs
        o.batchSize = batchSize
        o.learningRate = learningRate
        o.weightDecay = weightDecay
        o.optimizer = optimizer
        o.momentum = momentum
        o.schedule = schedule
        o.warmupEpochs = warmup
        o.clipNorm = clipNorm > 0 ? clipNorm : nil
        o.seed = seed
        return o
    }

    func validate() throws {
        guard clipNorm >= 0 else { throw ValidationError("--clip-norm cannot be negative, got \(clipNorm)") }
        do { try options.validate() } catch { throw ValidationError(error.description) }
    }
}
