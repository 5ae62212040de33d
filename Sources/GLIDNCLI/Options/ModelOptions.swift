import ArgumentParser
import GLIDN
import HOIData

extension Variant: ExpressibleByArgument {}
extension LocalEdgeMode: ExpressibleByArgument {}

/// The model's shape and objective.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model variant: pooled, local, global or glidn.")
    var variant: Variant = .glidn

    @Option(help: ArgumentHelp("Distillation between the graphs: \(DistillationCatalogue.names.joined(separator: ", ")).",
                               discussion: DistillationCatalogue.schemes.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var distill = MutualDistillation.name

    @Option(name: .customLong("distill-parameter"),
            help: ArgumentHelp("A setting of the distillation scheme, as name=value (repeatable).",
                               discussion: DistillationCatalogue.schemes.flatMap { s in s.parameters.map { "\(s.name): \($0.name) (default \($0.defaultValue)): \($0.summary)" } }.joined(separator: "\n")))
    var distillParameters: [String] = []

    @Option(help: "Hidden size D.")
    var hidden = 64

    @Option(help: "Attention heads H (must divide the hidden size).")
    var heads = 4

    @Option(name: .customLong("local-layers"), help: "Local context graph layers.")
    var localLayers = 2

    @Option(name: .customLong("global-layers"), help: "Global relation graph layers.")
    var globalLayers = 2

    @Option(name: .customLong("local-edges"), help: "Local graph edges: full or human-object.")
    var localEdges: LocalEdgeMode = .full

    @Option(name: .customLong("graph-layer"),
            help: ArgumentHelp("The layer both graphs are built from: \(GraphLayerCatalogue.names.joined(separator: ", ")).",
                               discussion: GraphLayerCatalogue.kinds.map { "\($0.name): \($0.summary)" }.joined(separator: "\n")))
    var graphLayer = GraphAttentionKind.name

    @Option(help: "Dropout on the encoder output and on attention weights.")
    var dropout: Float = 0.1

    @Option(help: "Distillation temperature τ.")
    var tau: Float = 2

    @Option(name: .customLong("lambda-kd"), help: "Weight of logit distillation.")
    var lambdaKD: Float = 0.5

    @Option(name: .customLong("lambda-feat"), help: "Weight of feature distillation.")
    var lambdaFeat: Float = 0.1

    func config(for info: DatasetInfo) throws -> ModelConfig {
        let config = ModelConfig(
            features: info.featureSize, categories: info.categoryNames.count, hidden: hidden, heads: heads,
            localLayers: localLayers, globalLayers: globalLayers, tau: tau, lambdaKD: lambdaKD, lambdaFeat: lambdaFeat,
            distill: distill, distillParameters: try parsedDistillParameters, localEdges: localEdges, graphLayer: graphLayer, dropout: dropout, task: info.task,
            classes: info.task == .video ? info.classNames.count : nil,
            subactivities: info.task == .entity ? info.subactivityNames.count : nil,
            affordances: info.task == .entity ? info.affordanceNames.count : nil, variant: variant)
        do { try config.validate(source: "model options") } catch { throw ValidationError(error.description) }
        return config
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
        guard DistillationCatalogue.scheme(named: distill) != nil else {
            throw ValidationError("unknown --distill '\(distill)' (known: \(DistillationCatalogue.names.joined(separator: ", ")))")
        }
        _ = try parsedDistillParameters
        guard hidden > 0, heads > 0, hidden % heads == 0 else {
            throw ValidationError("--hidden \(hidden) must be a positive multiple of --heads \(heads)")
        }
        guard localLayers >= 0, globalLayers >= 0 else { throw ValidationError("layer counts cannot be negative") }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must lie in [0, 1), got \(dropout)") }
        guard tau > 0 else { throw ValidationError("--tau must be positive, got \(tau)") }
    }
}
