import Autograd
import HOIData
import NN
import Settings

/// Where training stands, for objectives that change over a run (schedules, warm-ups).
public struct TrainingProgress: Sendable, Equatable {
    /// The current epoch, 1-based, and the run's length.
    public var epoch: Int
    public var epochs: Int

    public init(epoch: Int, epochs: Int) {
        self.epoch = epoch
        self.epochs = epochs
    }

    /// After training: evaluation and prediction use every term at its full weight.
    public static let finished = TrainingProgress(epoch: .max, epochs: .max)
}

/// A setting of a distillation scheme beyond τ, λ_kd and λ_feat (`ModelConfig.distillParameters`,
/// `--distill-parameter name=value`).
public struct SchemeParameter: Sendable {
    public let name: String
    public let defaultValue: Float
    public let summary: String

    public init(_ name: String, default defaultValue: Float, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// How knowledge passes between the local and the global branch: the loss terms a scheme
/// adds to the two branches' classification losses. One type per scheme, listed once in
/// `Catalogues.distillationSchemes`; its name is the `--distill` value and its term names are
/// the keys of `metrics.jsonl` and the progress lines.
public protocol DistillationScheme: Named {
    /// The names of the terms `terms` returns, in order.
    static var termNames: [String] { get }
    /// The scheme's own settings, with defaults (none for most).
    static var parameters: [SchemeParameter] { get }

    /// A scheme for `config`; learned parts draw their initial weights from `generator`
    /// (after every other part of the model).
    init(config: ModelConfig, generator: inout SeededGenerator)

    /// Learned parts, saved under `distill.` in checkpoints; nil for schemes without weights.
    var module: (any Module)? { get }

    /// The scheme's weighted terms for one batch. Only called for models with both branches.
    func terms(_ output: ModelOutput, targets: Targets, config: ModelConfig, progress: TrainingProgress) -> [LossTerm]
}

extension DistillationScheme {
    public static var parameters: [SchemeParameter] { [] }
    public var module: (any Module)? { nil }
}

extension ModelConfig {
    /// The value of a scheme parameter: the configured one, or the scheme's default.
    public func distillParameter(_ name: String) -> Float {
        if let v = distillParameters[name] { return v }
        let scheme = Catalogues.distillationSchemes.entry(named: distill)
        return scheme?.parameters.first { $0.name == name }?.defaultValue ?? 0
    }
}
