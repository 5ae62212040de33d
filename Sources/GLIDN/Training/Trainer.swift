import Autograd
import Foundation
import HOIData
import Logging
import NN

/// Progress of one optimizer step, for progress displays.
public struct StepProgress: Sendable {
    public let epoch: Int
    public let epochs: Int
    public let stepInEpoch: Int
    public let stepsPerEpoch: Int
    public let loss: Float
    /// The mean total loss of the epoch's steps so far.
    public let meanLoss: Float
    /// Seconds since the epoch's first step began.
    public let elapsed: Double
    public let learningRate: Float
}

/// Optimises a model: one step per batch, epochs of shuffled batches.
///
/// Every random draw of epoch e (the shuffle, dropout) comes from generators derived
/// from (seed, e), so training from a checkpoint taken after epoch e − 1 repeats
/// epoch e exactly.
public final class Trainer {
    public let model: GLIDNModel
    public let options: TrainingOptions
    public let optimizer: any Optimizer
    public let schedule: any LearningRateSchedule
    public let stepsPerEpoch: Int
    /// Optimizer steps taken so far.
    public internal(set) var step = 0
    /// The model's parameters, listed once: the module tree does not change while training.
    private let parameters: [Parameter]
    /// The loss: classification per branch, then the distillation scheme's terms.
    public let objective: Objective
    /// A teacher that has seen the whole video, when the run has one: its terms follow the objective's.
    public let teaching: Teaching?

    public init(model: GLIDNModel, options: TrainingOptions, trainingClips: Int, teaching: Teaching? = nil) throws {
        try options.validate()
        guard trainingClips > 0 else { throw TrainingError.emptyDataset("training") }
        self.model = model
        self.options = options
        stepsPerEpoch = (trainingClips + options.batchSize - 1) / options.batchSize
        self.teaching = teaching
        let parameters = model.namedParameters() + (teaching?.namedParameters ?? [])
        self.parameters = parameters.map(\.parameter)
        objective = model.objective
        switch options.optimizer {
        case .adamw: optimizer = AdamW(parameters: parameters, weightDecay: options.weightDecay)
        case .sgd: optimizer = SGD(parameters: parameters, momentum: options.momentum, weightDecay: options.weightDecay)
        }
        switch options.schedule {
        case .cosine:
            schedule = WarmupCosineSchedule(
                base: options.learningRate,
                warmupSteps: Int((options.warmupEpochs * Double(stepsPerEpoch)).rounded()),
                totalSteps: options.epochs * stepsPerEpoch)
        case .constant:
            schedule = ConstantSchedule(base: options.learningRate)
        }
    }

    /// One optimizer step on one batch (the training clips at `indices`, which the teacher, if
    /// any, sees too); returns the loss terms. `timer`, when given, receives the time of each
    /// phase (the benchmark's breakdown).
    @discardableResult
    public func step(
        _ batch: Batch, indices: [Int] = [], context: inout ForwardContext, epoch: Int, timer: PhaseTimer? = nil
    ) throws -> [String: Float] {
        guard let targets = batch.targets else { throw TrainingError.emptyDataset("labelled training") }
        timer?.start()
        // Every parameter the optimizer updates, the teaching scheme's learned parts too (they sit
        // outside the model): a gradient left from the step before would be added to this one's.
        for p in parameters { p.zeroGrad() }
        let output = model(batch, context: &context)
        timer?.lap("forward")
        let progress = TrainingProgress(epoch: epoch, epochs: options.epochs)
        var losses = objective.losses(output, targets: targets, progress: progress)
        if let teaching {
            let factor = objective.scheduleFactor(progress)
            let taught = try teaching.terms(output, indices: indices, studentBatch: batch, targets: targets).map {
                factor == 1 ? $0 : LossTerm(name: $0.name, value: $0.value, weight: $0.weight * factor)
            }
            losses = LossTerms(terms: losses.terms + taught)
        }
        let values = losses.values
        timer?.lap("losses")
        guard losses.total.scalar.isFinite else {
            throw TrainingError.nonFiniteLoss(epoch: epoch, step: step, terms: values)
        }
        losses.total.backward()
        timer?.lap("backward")
        // Clipping as a factor on the gradients inside the update, not a rewrite of them.
        let scale = options.clipNorm.map { clippingScale(norm: gradientNorm(parameters), maxNorm: $0) } ?? 1
        optimizer.step(learningRate: schedule.rate(at: step), gradientScale: scale)
        step += 1
        timer?.lap("update")
        return values
    }

    /// The clip order of an epoch (1-based epochs).
    public func order(epoch: Int, count: Int) -> [Int] {
        var g = SeededGenerator(seed: options.seed, streams: [UInt64(epoch), 0])
        var indices = Array(0..<count)
        g.shuffle(&indices)
        return indices
    }

    /// Trains one epoch (1-based); returns the mean of each loss term.
    public func trainEpoch(_ epoch: Int, on data: Dataset, progress: ((StepProgress) -> Void)? = nil) throws -> [String:
        Double]
    {
        switch try trainEpoch(epoch, on: data, from: nil, shouldStop: { false }, progress: progress) {
        case .finished(let means): return means
        case .interrupted: fatalError("an epoch that is never asked to stop stopped")
        }
    }

    /// Trains one epoch (1-based), from its start or from `position` (where an interrupted run
    /// stopped), asking `shouldStop` after each step: when it says yes, returns where the epoch
    /// stands, so that continuing from there repeats exactly what the rest of the epoch would
    /// have done (the same batches, the same dropout draws, the same loss means).
    public func trainEpoch(
        _ epoch: Int, on data: Dataset, from position: EpochPosition?, shouldStop: () -> Bool,
        progress: ((StepProgress) -> Void)? = nil
    ) throws -> EpochResult {
        var context = ForwardContext.training(
            generator: position?.generator ?? SeededGenerator(seed: options.seed, streams: [UInt64(epoch), 1]))
        let order = order(epoch: epoch, count: data.count)
        var sums: [String: Double] = position?.sums ?? [:]
        var batches = position?.batchesDone ?? 0
        let began = Date()
        for (k, start) in stride(from: 0, to: order.count, by: options.batchSize).enumerated() where k >= batches {
            let indices = Array(order[start..<min(start + options.batchSize, order.count)])
            let batch = try data.batch(indices)
            try model.check(batch)
            let rate = schedule.rate(at: step)
            let values = try self.step(batch, indices: indices, context: &context, epoch: epoch)
            for (name, v) in values { sums[name, default: 0] += Double(v) }
            batches += 1
            progress?(
                StepProgress(
                    epoch: epoch, epochs: options.epochs, stepInEpoch: k + 1, stepsPerEpoch: stepsPerEpoch,
                    loss: values["total"] ?? .nan, meanLoss: Float((sums["total"] ?? .nan) / Double(batches)),
                    elapsed: Date().timeIntervalSince(began), learningRate: rate))
            if batches < stepsPerEpoch && shouldStop() {
                return .interrupted(
                    EpochPosition(epoch: epoch, batchesDone: batches, sums: sums, generator: context.generator))
            }
        }
        return .finished(sums.mapValues { $0 / Double(max(batches, 1)) })
    }
}

/// Where an interrupted epoch stands: the batches done, the loss sums so far and the dropout
/// generator's state (the shuffle is derived from the seed and the epoch again).
public struct EpochPosition: Codable, Equatable, Sendable {
    public let epoch: Int
    public let batchesDone: Int
    public let sums: [String: Double]
    public let generator: SeededGenerator
}

/// How an epoch ended: all its steps done (each loss term's mean), or stopped on request.
public enum EpochResult {
    case finished([String: Double])
    case interrupted(EpochPosition)
}
