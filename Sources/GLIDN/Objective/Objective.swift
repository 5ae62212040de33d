import Autograd
import HOIData
import NN
import Settings

/// The training loss of a model as an ordered list of named terms: the classification loss
/// of each branch the model has (`cls_local`, `cls_global`), then the terms of its
/// distillation scheme (only when both branches exist). The total is their weighted sum.
public struct Objective {
    public let config: ModelConfig
    public let scheme: any DistillationScheme

    static let classificationTerm: [Branch: String] = [.local: "cls_local", .global: "cls_global"]

    /// The names of the terms `losses` returns, in order, then `total`: the keys of
    /// `metrics.jsonl` and of the progress lines.
    public var termNames: [String] { Self.termNames(config) }

    /// The term names of a model of `config`, without building it.
    public static func termNames(_ config: ModelConfig) -> [String] {
        let branches = Branch.allCases.filter { config.variant.uses($0) }.compactMap { classificationTerm[$0] }
        let scheme = Catalogues.distillationSchemes.entry(named: config.distill)
        let distillation = config.variant == .glidn ? scheme?.termNames ?? [] : []
        return branches + distillation + [LossTerms.totalName]
    }

    public func losses(_ output: ModelOutput, targets: Targets, progress: TrainingProgress = .finished) -> LossTerms {
        var terms: [LossTerm] = []
        for (branch, logits) in [(Branch.local, output.localLogits), (.global, output.globalLogits)] {
            guard let logits, let name = Self.classificationTerm[branch] else { continue }
            terms.append(
                LossTerm(
                    name: name,
                    value: GroupLosses.classification(
                        logits, targets,
                        smoothing: config[ModelSettings.labelSmoothing])))
        }
        if config.variant == .glidn {
            let factor = scheduleFactor(progress)
            terms += scheme.terms(output, targets: targets, config: config, progress: progress).map {
                factor == 1 ? $0 : LossTerm(name: $0.name, value: $0.value, weight: $0.weight * factor)
            }
        }
        return LossTerms(terms: terms)
    }

    /// The share of the distillation weights in effect at `progress`: 0 through the warm-up
    /// epochs, then rising linearly to 1 over the ramp's epochs (1 throughout without a schedule).
    public func scheduleFactor(_ progress: TrainingProgress) -> Float {
        let (warmup, ramp) = (config.distillWarmup, config.distillRamp)
        guard warmup > 0 || ramp > 0 else { return 1 }
        let epoch = Double(progress.epoch)
        if epoch <= warmup { return 0 }
        guard ramp > 0 else { return 1 }
        return Float(min(1, (epoch - warmup) / ramp))
    }
}
