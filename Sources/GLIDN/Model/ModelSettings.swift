import HOIData
import Settings

extension Variant: SettingChoice {}
extension LocalEdgeMode: SettingChoice {}

/// Every setting of the model's shape and objective, declared once (docs/MODEL.md, section 10,
/// says what each does). A model's configuration holds their values (`ModelConfig.settings`),
/// the command line reads them as options, checkpoints store them under their keys.
public enum ModelSettings {
    public static let variant = Setting<Variant>(
        "variant", default: .glidn, help: "Model variant: pooled (no graphs), local, global or glidn (both graphs)")
    public static let distill = Setting<String>(
        "distill", default: NoDistillation.name, help: "Distillation between the graphs (see below)",
        check: .oneOf { Catalogues.distillationSchemes.names })
    public static let distillParameters = Setting<NamedNumbers>(
        "distill-parameter", default: NamedNumbers(),
        help: "A setting of the distillation scheme, as name=value (repeatable)",
        key: "distill_parameters")
    public static let hidden = Setting<Int>("hidden", default: 64, help: "Hidden size D", check: .within(1...65536))
    public static let heads = Setting<Int>(
        "heads", default: 4, help: "Attention heads H, dividing the hidden size", check: .within(1...4096))
    public static let localLayers = Setting<Int>(
        "local-layers", default: 2, help: "Local context graph layers", check: .within(0...256))
    public static let globalLayers = Setting<Int>(
        "global-layers", default: 2, help: "Global relation graph layers", check: .within(0...256))
    public static let localEdges = Setting<LocalEdgeMode>("local-edges", default: .full, help: "Local graph edges")
    public static let graphLayer = Setting<String>(
        "graph-layer", default: GraphAttentionKind.name, help: "The layer both graphs are built from (see below)",
        check: .oneOf { Catalogues.graphLayers.names })
    public static let dropout = Setting<Float>(
        "dropout", default: 0.1, help: "Dropout on the encoder output and on attention weights", check: .within(0..<1))
    public static let attentionDropout = Setting<Float?>(
        "attention-dropout", default: nil, help: "Dropout on attention weights alone", check: .some(.within(0..<1)),
        defaultNote: "--dropout")
    public static let distillWarmup = Setting<Double>(
        "distill-warmup", default: 0, help: "Epochs without distillation at the start", check: .within(0...1e6))
    public static let distillRamp = Setting<Double>(
        "distill-ramp", default: 0, help: "Epochs over which the distillation weights then rise to their full value",
        check: .within(0...1e6))
    public static let tau = Setting<Float>(
        "tau", default: 2, help: "Distillation temperature τ", check: .within(1e-6...1e6))
    public static let lambdaKD = Setting<Float>(
        "lambda-kd", default: 0.5, help: "Weight of logit distillation", check: .within(0...1e6))
    public static let lambdaFeat = Setting<Float>(
        "lambda-feat", default: 0.1, help: "Weight of feature distillation", check: .within(0...1e6))
    public static let labelSmoothing = Setting<Float>(
        "label-smoothing", default: 0, help: "Label smoothing ε of the classification losses", check: .within(0..<1))

    /// In the order `--help` lists them.
    public static let all: [any AnySetting] = [
        variant, distill, distillParameters, hidden, heads, localLayers, globalLayers, localEdges, graphLayer, dropout,
        attentionDropout, distillWarmup, distillRamp, tau, lambdaKD, lambdaFeat, labelSmoothing,
    ]

    /// What the values together must satisfy, each problem naming the options.
    public static func problems(_ v: SettingValues) -> [String] {
        var problems: [String] = []
        if v[hidden] % v[heads] != 0 {
            problems.append("--hidden \(v[hidden]) must be a multiple of --heads \(v[heads])")
        }
        if let scheme = Catalogues.distillationSchemes.entry(named: v[distill]) {
            let known = Set(scheme.parameters.map(\.name))
            for name in v[distillParameters].values.keys.sorted() where !known.contains(name) {
                problems.append(
                    "--distill-parameter \(name): distillation '\(v[distill])' has no parameter '\(name)'"
                        + (known.isEmpty ? " (it takes none)" : " (it takes \(known.sorted().joined(separator: ", ")))")
                )
            }
        }
        if let direction = v[distillParameters].values["direction"], direction != 0 && direction != 1 {
            problems.append("--distill-parameter direction is 0 or 1, got \(direction)")
        }
        return problems
    }
}
