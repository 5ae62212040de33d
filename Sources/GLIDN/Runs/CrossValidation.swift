import Foundation
import HOIData
import NN
import Settings

/// Leave-one-subject-out from one command (`glidn train --fold all`, or a list): one run per
/// fold into `output/fold-K`, each scored on its held-out subject, and the mean ± sample
/// standard deviation of every metric over the folds (as docs/STUDIES.md's tables).
public struct CrossValidation {
    public let settings: RunSettings
    public let folds: [Int]
    public let output: URL

    /// One fold's run and its test scores.
    public struct FoldResult: Sendable {
        public let fold: Int
        public let checkpoint: URL
        public let clips: Int
        public let metrics: [String: Double]
    }

    /// The folds `spec` names ("all", or a comma-separated list) among those the data has.
    public static func folds(_ spec: String, available: [Int]) throws(SettingError) -> [Int] {
        guard !available.isEmpty else {
            throw SettingError("--fold \(spec): the data set has no folds (subjects) to hold out")
        }
        if spec == "all" { return available }
        var out: [Int] = []
        for part in spec.split(separator: ",") {
            guard let k = Int(part.trimmingCharacters(in: .whitespaces)), available.contains(k) else {
                throw SettingError(
                    "--fold \(spec): '\(part)' is not one of the data's folds (\(available.map(String.init).joined(separator: ", ")))"
                )
            }
            if !out.contains(k) { out.append(k) }
        }
        guard !out.isEmpty else { throw SettingError("--fold \(spec) names no fold") }
        return out
    }

    /// `settings` must not hold a fold: each run gets its own.
    public init(settings: RunSettings, folds: [Int], output: URL) {
        (self.settings, self.folds, self.output) = (settings, folds, output)
    }

    /// Trains and scores every fold in turn; `started` is told of each before it trains.
    public func run(
        observer: (Int) -> TrainingObserver? = { _ in nil },
        teacherObserver: (Int) -> TrainingObserver? = { _ in nil }, started: (Int, TrainingPlan) -> Void = { _, _ in },
        shouldStop: @escaping () -> Bool = { false }
    ) throws -> [FoldResult] {
        var results: [FoldResult] = []
        for fold in folds {
            var values = settings.given
            values[DataSettings.fold] = fold
            let plan = try TrainingPlan(
                settings: try RunSettings(given: values), output: output.appendingPathComponent("fold-\(fold)"))
            started(fold, plan)
            let outcome = try plan.train(
                observer: observer(fold), teacherObserver: teacherObserver(fold), shouldStop: shouldStop)
            // The best checkpoint on the fold's held-out subject: the plan's own data (its
            // settings are the checkpoint's), not read again.
            let scoring = try CheckpointScoring(outcome.checkpoint)
            let test = try SplitChoice.test.pick(plan.data)
            let (evaluation, _) = try Evaluator.run(
                scoring.model, on: test.clips, orderPairs: plan.data.info.orderPairs)
            results.append(
                FoldResult(
                    fold: fold, checkpoint: outcome.checkpoint, clips: test.clips.count, metrics: evaluation.metrics))
        }
        return results
    }

    /// Each metric's mean and sample standard deviation over `results` (0 for one fold).
    public static func summary(_ results: [FoldResult]) -> [(metric: String, mean: Double, std: Double)] {
        let names = Set(results.flatMap { $0.metrics.keys }).sorted()
        return names.map { name in
            let values = results.compactMap { $0.metrics[name] }
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            let variance =
                values.count > 1
                ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
            return (name, mean, variance.squareRoot())
        }
    }
}
