import HOIData

/// Settings of the model and of training, each optional: the tools' defaults (`standard`),
/// and per data set and task the settings that trained best in the README's studies
/// (`Recipes`). The command line takes an option given by the user first, then the data
/// set's recipe, then the standard value.
public struct Recipe: Sendable, Equatable {
    public var variant: Variant?
    public var distill: String?
    public var hidden: Int?
    public var heads: Int?
    public var localLayers: Int?
    public var globalLayers: Int?
    public var dropout: Float?
    public var tau: Float?
    public var lambdaKD: Float?
    public var lambdaFeat: Float?
    public var distillWarmup: Double?
    public var distillRamp: Double?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Float?
    public var weightDecay: Float?
    public var warmupEpochs: Double?
    public var fusion: TrainingOptions.FusionChoice?
    /// Where the figures that chose it are (a README section), for `--help` and logs.
    public var evidence: String?

    public init(variant: Variant? = nil, distill: String? = nil, hidden: Int? = nil, heads: Int? = nil, localLayers: Int? = nil,
                globalLayers: Int? = nil, dropout: Float? = nil, tau: Float? = nil, lambdaKD: Float? = nil, lambdaFeat: Float? = nil,
                distillWarmup: Double? = nil, distillRamp: Double? = nil, epochs: Int? = nil, batchSize: Int? = nil, learningRate: Float? = nil, weightDecay: Float? = nil,
                warmupEpochs: Double? = nil, fusion: TrainingOptions.FusionChoice? = nil, evidence: String? = nil) {
        self.variant = variant
        self.distill = distill
        self.hidden = hidden
        self.heads = heads
        self.localLayers = localLayers
        self.globalLayers = globalLayers
        self.dropout = dropout
        self.tau = tau
        self.lambdaKD = lambdaKD
        self.lambdaFeat = lambdaFeat
        self.distillWarmup = distillWarmup
        self.distillRamp = distillRamp
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.warmupEpochs = warmupEpochs
        self.fusion = fusion
        self.evidence = evidence
    }

    /// The tools' defaults, for data without a recipe (the synthetic benchmark's demo among them).
    /// No distillation: of every scheme measured on the synthetic benchmark (README,
    /// "Distillation, as measured"), none beat training each branch on the labels alone.
    public static let standard = Recipe(
        variant: .glidn, distill: NoDistillation.name, hidden: 64, heads: 4, localLayers: 2, globalLayers: 2, dropout: 0.1,
        tau: 2, lambdaKD: 0.5, lambdaFeat: 0.1, epochs: 30, batchSize: 32, learningRate: 1e-2, weightDecay: 1e-4, warmupEpochs: 1)

    /// Each setting of `self`, or else `fallback`'s.
    public func over(_ fallback: Recipe) -> Recipe {
        Recipe(variant: variant ?? fallback.variant, distill: distill ?? fallback.distill, hidden: hidden ?? fallback.hidden,
               heads: heads ?? fallback.heads, localLayers: localLayers ?? fallback.localLayers,
               globalLayers: globalLayers ?? fallback.globalLayers, dropout: dropout ?? fallback.dropout, tau: tau ?? fallback.tau,
               lambdaKD: lambdaKD ?? fallback.lambdaKD, lambdaFeat: lambdaFeat ?? fallback.lambdaFeat,
               distillWarmup: distillWarmup ?? fallback.distillWarmup, distillRamp: distillRamp ?? fallback.distillRamp,
               epochs: epochs ?? fallback.epochs,
               batchSize: batchSize ?? fallback.batchSize, learningRate: learningRate ?? fallback.learningRate,
               weightDecay: weightDecay ?? fallback.weightDecay, warmupEpochs: warmupEpochs ?? fallback.warmupEpochs,
               fusion: fusion ?? fallback.fusion, evidence: evidence ?? fallback.evidence)
    }
}

/// The best configuration measured for each data set and task (README: "CAD-120 at the
/// papers' scale"). A data set without an entry trains with `Recipe.standard`.
public enum Recipes {
    static let table: [String: Recipe] = [
        // tools/studies/cad120_study.sh: leave-one-subject-out over subjects 1, 3, 4, two seeds.
        "\(CAD120GroundTruthDataset.name):detection": Recipe(
            variant: .global, hidden: 64, heads: 8, globalLayers: 3, dropout: 0.3, epochs: 400, batchSize: 4, learningRate: 3e-3,
            evidence: "README, CAD-120 at the papers' scale: the best sub-activity F1 of the study"),
        "\(CAD120GroundTruthDataset.name):anticipation": Recipe(
            variant: .glidn, distill: GlobalToLocalDistillation.name, hidden: 64, heads: 8, globalLayers: 3, dropout: 0.3, epochs: 400,
            batchSize: 4, learningRate: 3e-3, evidence: "README, CAD-120 at the papers' scale: the best F1 of the study"),
    ]

    /// The recipe of `dataset` for `task` (nil: the data set's first task), over the standard one.
    public static func recipe(dataset: String, task: String?) -> Recipe {
        let task = task ?? DatasetCatalogue.provider(named: dataset)?.tasks.first ?? ""
        return (table["\(dataset):\(task)"] ?? table[dataset] ?? Recipe()).over(.standard)
    }
}
