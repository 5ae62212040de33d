import Autograd
import Foundation
import HOIData

/// The four model variants of docs/MODEL.md; one code path, parts switched off.
public enum Variant: String, Codable, CaseIterable, Sendable {
    /// No graphs: node encoder, pooling over frames and entities, one head.
    case pooled
    /// Local context graphs only.
    case local
    /// Global relation graph only.
    case global
    /// Both graphs, with distillation between them as configured.
    case glidn

    /// `pooled` keeps the local branch with no graph layers; `global` has only the global branch.
    public func uses(_ branch: Branch) -> Bool {
        switch branch {
        case .local: return self != .global
        case .global: return self == .global || self == .glidn
        }
    }

    /// Whether the variant runs local context graph layers (`pooled` pools the encoder output instead).
    var usesLocalGraphs: Bool { self == .local || self == .glidn }
}

/// Which pairs of entities a frame's local graph connects.
public enum LocalEdgeMode: String, Codable, CaseIterable, Sendable {
    /// All visible pairs, self-loops included.
    case full
    /// Pairs of one human and one object, plus self-loops.
    case humanObject = "human-object"
}

/// Everything that fixes the model's shape and objective. The JSON form (snake_case
/// keys) is the `config` entry of the reference files and of our checkpoints.
public struct ModelConfig: Codable, Equatable, Sendable {
    public var features: Int
    public var categories: Int
    public var hidden: Int
    public var heads: Int
    public var localLayers: Int
    public var globalLayers: Int
    public var tau: Float
    public var lambdaKD: Float
    public var lambdaFeat: Float
    /// The distillation scheme's name (`DistillationCatalogue`).
    public var distill: String
    /// Settings of the distillation scheme beyond τ, λ_kd and λ_feat, by the names the scheme
    /// declares (`DistillationScheme.parameters`); absent ones take the scheme's defaults.
    public var distillParameters: [String: Float]
    public var localEdges: LocalEdgeMode
    /// The layer both graphs are built from (`GraphLayerCatalogue`).
    public var graphLayer: String
    /// What the global graph spans: one segment, or a video of segments.
    public var temporalContext: TemporalContext
    /// The weight w of the local branch in the prediction w · z_L + (1 - w) · z_G (0.5: the mean).
    public var fusionWeight: Float
    /// The distillation schedule: no distillation for the first `distillWarmup` epochs, then
    /// its weights ramp up linearly over `distillRamp` epochs (0, 0: at full weight throughout).
    public var distillWarmup: Double
    public var distillRamp: Double
    /// Dropout on the node encoder output.
    public var dropout: Float
    /// Dropout on attention weights; the same as `dropout` unless given.
    public var attentionDropout: Float?
    public var task: TaskKind
    public var classes: Int?
    public var subactivities: Int?
    public var affordances: Int?
    public var variant: Variant

    enum CodingKeys: String, CodingKey {
        case features, categories, hidden, heads, tau, distill, dropout, task, classes, subactivities, affordances, variant
        case localLayers = "local_layers", globalLayers = "global_layers", lambdaKD = "lambda_kd"
        case lambdaFeat = "lambda_feat", localEdges = "local_edges", attentionDropout = "attention_dropout"
        case distillParameters = "distill_parameters", graphLayer = "graph_layer", temporalContext = "temporal_context"
        case fusionWeight = "fusion_weight", distillWarmup = "distill_warmup", distillRamp = "distill_ramp"
    }

    public init(
        features: Int, categories: Int, hidden: Int = 128, heads: Int = 4, localLayers: Int = 2, globalLayers: Int = 2,
        tau: Float = 2, lambdaKD: Float = 0.5, lambdaFeat: Float = 0.1, distill: String = MutualDistillation.name,
        distillParameters: [String: Float] = [:],
        localEdges: LocalEdgeMode = .full, graphLayer: String = GraphAttentionKind.name, temporalContext: TemporalContext = .clip,
        fusionWeight: Float = 0.5, distillWarmup: Double = 0, distillRamp: Double = 0, dropout: Float = 0.1, attentionDropout: Float? = nil, task: TaskKind,
        classes: Int? = nil, subactivities: Int? = nil, affordances: Int? = nil, variant: Variant = .glidn
    ) {
        self.features = features
        self.categories = categories
        self.hidden = hidden
        self.heads = heads
        self.localLayers = localLayers
        self.globalLayers = globalLayers
        self.tau = tau
        self.lambdaKD = lambdaKD
        self.lambdaFeat = lambdaFeat
        self.distill = distill
        self.distillParameters = distillParameters
        self.localEdges = localEdges
        self.graphLayer = graphLayer
        self.temporalContext = temporalContext
        self.fusionWeight = fusionWeight
        self.distillWarmup = distillWarmup
        self.distillRamp = distillRamp
        self.dropout = dropout
        self.attentionDropout = attentionDropout
        self.task = task
        self.classes = classes
        self.subactivities = subactivities
        self.affordances = affordances
        self.variant = variant
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        features = try c.decode(Int.self, forKey: .features)
        categories = try c.decode(Int.self, forKey: .categories)
        hidden = try c.decode(Int.self, forKey: .hidden)
        heads = try c.decode(Int.self, forKey: .heads)
        localLayers = try c.decode(Int.self, forKey: .localLayers)
        globalLayers = try c.decode(Int.self, forKey: .globalLayers)
        tau = try c.decode(Float.self, forKey: .tau)
        lambdaKD = try c.decode(Float.self, forKey: .lambdaKD)
        lambdaFeat = try c.decode(Float.self, forKey: .lambdaFeat)
        distill = try c.decode(String.self, forKey: .distill)
        distillParameters = try c.decodeIfPresent([String: Float].self, forKey: .distillParameters) ?? [:]
        localEdges = try c.decode(LocalEdgeMode.self, forKey: .localEdges)
        graphLayer = try c.decodeIfPresent(String.self, forKey: .graphLayer) ?? GraphAttentionKind.name
        temporalContext = try c.decodeIfPresent(TemporalContext.self, forKey: .temporalContext) ?? .clip
        fusionWeight = try c.decodeIfPresent(Float.self, forKey: .fusionWeight) ?? 0.5
        distillWarmup = try c.decodeIfPresent(Double.self, forKey: .distillWarmup) ?? 0
        distillRamp = try c.decodeIfPresent(Double.self, forKey: .distillRamp) ?? 0
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? 0
        attentionDropout = try c.decodeIfPresent(Float.self, forKey: .attentionDropout)
        task = try c.decode(TaskKind.self, forKey: .task)
        classes = try c.decodeIfPresent(Int.self, forKey: .classes)
        subactivities = try c.decodeIfPresent(Int.self, forKey: .subactivities)
        affordances = try c.decodeIfPresent(Int.self, forKey: .affordances)
        variant = try c.decodeIfPresent(Variant.self, forKey: .variant) ?? .glidn
    }

    /// About how many weights the model has (an upper bound), or nil if it does not fit in memory.
    var parameterEstimate: Int? {
        let d = hidden
        let outputs = max(classes ?? 0, (subactivities ?? 0) + (affordances ?? 0))
        let perLayer = ResourceLimits.sum([ResourceLimits.product([d, d]) ?? .max, 3 * d + 16 * heads])
        return ResourceLimits.sum([
            ResourceLimits.product([features + GraphInputs.nodeGeometrySize + 1, d]) ?? .max,
            ResourceLimits.product([categories, d]) ?? .max,
            ResourceLimits.product([localLayers + globalLayers, perLayer ?? .max]) ?? .max,
            ResourceLimits.product([2 * d + 1, d]) ?? .max,
            ResourceLimits.product([4, 2 * d + 1, outputs]) ?? .max,
            ResourceLimits.product([d + 1, d]) ?? .max,  // a scheme's projection
        ])
    }

    /// Distillation only exists when both graphs do.
    public var effectiveDistillation: String { variant == .glidn ? distill : NoDistillation.name }

    /// The label groups the model predicts, in order, with their number of classes.
    public var labelGroups: [(name: String, classes: Int, multiLabel: Bool)] {
        switch task {
        case .video: return [(LabelGroup.actions, classes ?? 0, true)]
        case .entity: return [(LabelGroup.subactivity, subactivities ?? 0, false), (LabelGroup.affordance, affordances ?? 0, false)]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(features, forKey: .features)
        try c.encode(categories, forKey: .categories)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(heads, forKey: .heads)
        try c.encode(localLayers, forKey: .localLayers)
        try c.encode(globalLayers, forKey: .globalLayers)
        try c.encode(tau, forKey: .tau)
        try c.encode(lambdaKD, forKey: .lambdaKD)
        try c.encode(lambdaFeat, forKey: .lambdaFeat)
        try c.encode(distill, forKey: .distill)
        // Written only when set, so that configurations without them read as before.
        if !distillParameters.isEmpty { try c.encode(distillParameters, forKey: .distillParameters) }
        try c.encode(localEdges, forKey: .localEdges)
        if graphLayer != GraphAttentionKind.name { try c.encode(graphLayer, forKey: .graphLayer) }
        if temporalContext != .clip { try c.encode(temporalContext, forKey: .temporalContext) }
        if fusionWeight != 0.5 { try c.encode(fusionWeight, forKey: .fusionWeight) }
        if distillWarmup != 0 { try c.encode(distillWarmup, forKey: .distillWarmup) }
        if distillRamp != 0 { try c.encode(distillRamp, forKey: .distillRamp) }
        try c.encode(dropout, forKey: .dropout)
        try c.encodeIfPresent(attentionDropout, forKey: .attentionDropout)
        try c.encode(task, forKey: .task)
        try c.encodeIfPresent(classes, forKey: .classes)
        try c.encodeIfPresent(subactivities, forKey: .subactivities)
        try c.encodeIfPresent(affordances, forKey: .affordances)
        try c.encode(variant, forKey: .variant)
    }

    /// Reads the JSON form.
    public static func decode(json: String, source: String) throws(ConfigError) -> ModelConfig {
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ConfigError(source: source, problem: "the configuration has no '\(key.stringValue)'")
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigError(source: source, problem: "the configuration is malformed: \(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigError(source: source, problem: "the configuration has a wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw ConfigError(source: source, problem: "the configuration cannot be read: \(error)")
        }
        try config.validate(source: source)
        return config
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Checks that the sizes make a model.
    public func validate(source: String = "configuration") throws(ConfigError) {
        func fail(_ p: String) -> ConfigError { ConfigError(source: source, problem: p) }
        guard features >= 0, categories > 0, hidden > 0, heads > 0 else {
            throw fail("features ≥ 0, categories > 0, hidden > 0 and heads > 0 are required (got \(features), \(categories), \(hidden), \(heads))")
        }
        guard hidden % heads == 0 else { throw fail("hidden size \(hidden) is not divisible by \(heads) heads") }
        guard localLayers >= 0, globalLayers >= 0 else { throw fail("layer counts cannot be negative") }
        // Sizes that a file or an option can name: each within reason, and the weights (with
        // their gradients and the optimizer's two moments) within memory.
        let bounds: [(String, Int, Int)] = [("features", features, 1 << 20), ("categories", categories, 1 << 20),
                                            ("hidden", hidden, 1 << 16), ("heads", heads, 1 << 12),
                                            ("local_layers", localLayers, 256), ("global_layers", globalLayers, 256),
                                            ("classes", classes ?? 0, 1 << 20), ("subactivities", subactivities ?? 0, 1 << 20),
                                            ("affordances", affordances ?? 0, 1 << 20)]
        if let (name, value, limit) = bounds.first(where: { $0.1 > $0.2 }) {
            throw fail("'\(name)' = \(value) exceeds \(limit)")
        }
        guard let weights = parameterEstimate, ResourceLimits.product([weights, 4]) != nil else {
            throw fail("the model would need more memory than this machine has (hidden \(hidden), features \(features), \(localLayers) + \(globalLayers) layers)")
        }
        guard tau > 0, tau.isFinite else { throw fail("the distillation temperature tau must be positive (got \(tau))") }
        guard lambdaKD >= 0, lambdaKD.isFinite, lambdaFeat >= 0, lambdaFeat.isFinite else {
            throw fail("the distillation weights lambda_kd (--lambda-kd) and lambda_feat (--lambda-feat) must be finite and ≥ 0 (got \(lambdaKD), \(lambdaFeat))")
        }
        guard GraphLayerCatalogue.kind(named: graphLayer) != nil else {
            throw fail("unknown graph layer '\(graphLayer)' (known: \(GraphLayerCatalogue.names.joined(separator: ", ")))")
        }
        guard let scheme = DistillationCatalogue.scheme(named: distill) else {
            throw fail("unknown distillation '\(distill)' (known: \(DistillationCatalogue.names.joined(separator: ", ")))")
        }
        let known = Set(scheme.parameters.map(\.name))
        if let unknown = distillParameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("distillation '\(distill)' has no parameter '\(unknown)'"
                       + (known.isEmpty ? " (it takes none)" : " (it takes \(known.sorted().joined(separator: ", ")))"))
        }
        if let bad = distillParameters.first(where: { !$0.value.isFinite }) {
            throw fail("distillation parameter '\(bad.key)' is not a finite number")
        }
        if let direction = distillParameters["direction"], direction != 0 && direction != 1 {
            throw fail("distillation parameter 'direction' is 0 or 1 (got \(direction))")
        }
        guard (0...1).contains(fusionWeight) else { throw fail("the fusion weight must lie in [0, 1] (got \(fusionWeight))") }
        guard distillWarmup >= 0, distillRamp >= 0, distillWarmup.isFinite, distillRamp.isFinite else {
            throw fail("the distillation warm-up and ramp are epochs ≥ 0 (got \(distillWarmup), \(distillRamp))")
        }
        guard (0..<1).contains(dropout), (0..<1).contains(attentionDropout ?? 0) else {
            throw fail("dropout must lie in [0, 1)")
        }
        switch task {
        case .video:
            guard let classes, classes > 0 else { throw fail("the video task needs 'classes' > 0") }
            guard temporalContext == .clip else { throw fail("the video task labels whole clips: its temporal context is 'clip'") }
        case .entity:
            guard let s = subactivities, s > 0, let a = affordances, a > 0 else {
                throw fail("the entity task needs 'subactivities' > 0 and 'affordances' > 0")
            }
        }
    }
}

/// A configuration that cannot describe a model.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let problem: String
    public var description: String { "\(source): \(problem)" }
}
