import ArgumentParser
import GLIDN
import HOIData

extension Variant: ExpressibleByArgument {}
extension LocalEdgeMode: ExpressibleByArgument {}

/// The model's shape and objective. An option left out takes the data set's recipe
/// (`Recipes`: the best configuration measured for it), else the standard default.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model variant: pooled, local, global or glidn (default: glidn, or the data set's recipe).")
    var variant: Variant?

    @Option(help: ArgumentHelp("Distillation between the graphs: \(DistillationCatalogue.names.joined(separator: ", ")) (default: \(Recipe.standard.distill!)).",
                               discussion: DistillationCatalogue.schemes.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var distill: String?

    @Option(name: .customLong("distill-parameter"),
            help: ArgumentHelp("A setting of the distillation scheme, as name=value (repeatable).",
                               discussion: DistillationCatalogue.schemes.flatMap { s in s.parameters.map { "\(s.name): \($0.name) (default \($0.defaultValue)): \($0.summary)" } }.joined(separator: "\n")))
    var distillParameters: [String] = []

    @Option(help: "Hidden size D (default: \(Recipe.standard.hidden!)).")
    var hidden: Int?

    @Option(help: "Attention heads H, dividing the hidden size (default: \(Recipe.standard.heads!)).")
    var heads: Int?

    @Option(name: .customLong("local-layers"), help: "Local context graph layers (default: \(Recipe.standard.localLayers!)).")
    var localLayers: Int?

    @Option(name: .customLong("global-layers"), help: "Global relation graph layers (default: \(Recipe.standard.globalLayers!)).")
    var globalLayers: Int?

    @Option(name: .customLong("local-edges"), help: "Local graph edges: full or human-object (default: full).")
    var localEdges: LocalEdgeMode?

    @Option(name: .customLong("graph-layer"),
            help: ArgumentHelp("The layer both graphs are built from: \(GraphLayerCatalogue.names.joined(separator: ", ")) (default: \(GraphAttentionKind.name)).",
                               discussion: GraphLayerCatalogue.kinds.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var graphLayer: String?

    @Option(parsing: .unconditional, help: "Dropout on the encoder output and on attention weights (default: \(Recipe.standard.dropout!)).")
    var dropout: Float?

    @Option(name: .customLong("distill-warmup"), parsing: .unconditional, help: "Epochs without distillation at the start (default: 0).")
    var distillWarmup: Double?

    @Option(name: .customLong("distill-ramp"), parsing: .unconditional, help: "Epochs over which the distillation weights then rise to their full value (default: 0).")
    var distillRamp: Double?

    @Option(parsing: .unconditional, help: "Distillation temperature τ (default: \(Recipe.standard.tau!)).")
    var tau: Float?

    @Option(name: .customLong("lambda-kd"), parsing: .unconditional, help: "Weight of logit distillation (default: \(Recipe.standard.lambdaKD!)).")
    var lambdaKD: Float?

    @Option(name: .customLong("lambda-feat"), parsing: .unconditional, help: "Weight of feature distillation (default: \(Recipe.standard.lambdaFeat!)).")
    var lambdaFeat: Float?

    /// These options over `recipe` (which is complete: `Recipes.recipe` lays it over the standard one).
    func resolved(_ recipe: Recipe) -> Recipe {
        Recipe(variant: variant, distill: distill, hidden: hidden, heads: heads, localLayers: localLayers, globalLayers: globalLayers,
               dropout: dropout, tau: tau, lambdaKD: lambdaKD, lambdaFeat: lambdaFeat).over(recipe)
    }

    func config(for info: DatasetInfo, recipe: Recipe = .standard) throws -> ModelConfig {
        let r = resolved(recipe.over(.standard))
        var config = ModelConfig(
            features: info.featureSize, categories: info.categoryNames.count, hidden: r.hidden!, heads: r.heads!,
            localLayers: r.localLayers!, globalLayers: r.globalLayers!, tau: r.tau!, lambdaKD: r.lambdaKD!, lambdaFeat: r.lambdaFeat!,
            distill: r.distill!, distillParameters: try parsedDistillParameters, localEdges: localEdges ?? .full, graphLayer: graphLayer ?? GraphAttentionKind.name,
            dropout: r.dropout!, task: info.task,
            classes: info.task == .video ? info.classNames.count : nil,
            subactivities: info.task == .entity ? info.subactivityNames.count : nil,
            affordances: info.task == .entity ? info.affordanceNames.count : nil, variant: r.variant!)
        config.distillWarmup = distillWarmup ?? r.distillWarmup ?? 0
        config.distillRamp = distillRamp ?? r.distillRamp ?? 0
        // The global graph spans what the data's labels allow: a video of segments, or only the
        // segments so far when the labels are of the future (anticipation).
        config.temporalContext = info.temporalContext
        do { try config.validate(source: "model options") } catch { throw ValidationError(error.description) }
        return config
    }

    /// A stored run's configuration with the options given here laid over it (`train
    /// --resume`: whatever differs from `config` afterwards is an option that conflicts).
    func overriding(_ config: ModelConfig) throws -> ModelConfig {
        var c = config
        if let variant { c.variant = variant }
        if let distill { c.distill = distill }
        if !distillParameters.isEmpty { c.distillParameters = try parsedDistillParameters }
        if let hidden { c.hidden = hidden }
        if let heads { c.heads = heads }
        if let localLayers { c.localLayers = localLayers }
        if let globalLayers { c.globalLayers = globalLayers }
        if let localEdges { c.localEdges = localEdges }
        if let graphLayer { c.graphLayer = graphLayer }
        if let dropout { c.dropout = dropout }
        if let distillWarmup { c.distillWarmup = distillWarmup }
        if let distillRamp { c.distillRamp = distillRamp }
        if let tau { c.tau = tau }
        if let lambdaKD { c.lambdaKD = lambdaKD }
        if let lambdaFeat { c.lambdaFeat = lambdaFeat }
        return c
    }

    /// `--distill-parameter name=value` entries as a dictionary.
    var parsedDistillParameters: [String: Float] {
        get throws {
            var out: [String: Float] = [:]
            for entry in distillParameters {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let value = Float(parts[1]), value.isFinite else {
                    throw ValidationError("--distill-parameter '\(entry)' is not name=number")
                }
                out[parts[0]] = value
            }
            return out
        }
    }

    func validate() throws {
        if let distill, DistillationCatalogue.scheme(named: distill) == nil {
            throw ValidationError("unknown --distill '\(distill)' (known: \(DistillationCatalogue.names.joined(separator: ", ")))")
        }
        _ = try parsedDistillParameters
        if let hidden, hidden <= 0 { throw ValidationError("--hidden must be positive, got \(hidden)") }
        if let heads, heads <= 0 { throw ValidationError("--heads must be positive, got \(heads)") }
        if let hidden, let heads, hidden % heads != 0 {
            throw ValidationError("--hidden \(hidden) must be a positive multiple of --heads \(heads)")
        }
        if (localLayers ?? 0) < 0 || (globalLayers ?? 0) < 0 { throw ValidationError("layer counts cannot be negative") }
        if let dropout, !(0..<1).contains(dropout) { throw ValidationError("--dropout must lie in [0, 1), got \(dropout)") }
        if let tau, !(tau > 0 && tau.isFinite) { throw ValidationError("--tau must be positive, got \(tau)") }
        for (name, value) in [("--lambda-kd", lambdaKD), ("--lambda-feat", lambdaFeat)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(name) must be finite and ≥ 0, got \(value)") }
        }
        if (distillWarmup ?? 0) < 0 || (distillRamp ?? 0) < 0 { throw ValidationError("--distill-warmup and --distill-ramp cannot be negative") }
    }
}
