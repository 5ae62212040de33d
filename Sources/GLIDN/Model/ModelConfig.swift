import Autograd
import Foundation
import HOIData
import Settings

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

/// Everything that fixes the model's shape and objective: what the data fixes (feature size,
/// categories, label groups, temporal context), the fusion weight training chooses, and the
/// values of the user's settings (`ModelSettings`, declared once). The JSON form (snake_case
/// keys) is the `config` entry of the reference files and of our checkpoints.
public struct ModelConfig: Equatable, Sendable {
    public var features: Int
    public var categories: Int
    public var task: TaskKind
    /// Per label group of the task (by group name), its number of classes.
    public var classCounts: [String: Int]
    /// What the global graph spans: one segment, or a video of segments.
    public var temporalContext: TemporalContext
    /// The weight w of the local branch in the prediction w · z_L + (1 - w) · z_G (0.5: the mean).
    public var fusionWeight: Float
    /// The values of `ModelSettings`: those left out have their declared defaults.
    public var settings: SettingValues

    /// A configuration for data of `features` features and `categories` categories, the
    /// settings at their defaults but for `settings`.
    public init(
        features: Int, categories: Int, task: TaskKind, classCounts: [String: Int],
        temporalContext: TemporalContext = .clip,
        fusionWeight: Float = 0.5, settings: SettingValues = SettingValues()
    ) {
        (self.features, self.categories, self.task, self.classCounts) = (features, categories, task, classCounts)
        (self.temporalContext, self.fusionWeight, self.settings) = (temporalContext, fusionWeight, settings)
    }

    /// A configuration of the video or entity task, by their groups' class counts.
    public init(
        features: Int, categories: Int, task: TaskKind, classes: Int? = nil, subactivities: Int? = nil,
        affordances: Int? = nil, temporalContext: TemporalContext = .clip, fusionWeight: Float = 0.5,
        settings: SettingValues = SettingValues()
    ) {
        let counts = [
            LabelGroup.actions: classes, LabelGroup.subactivity: subactivities, LabelGroup.affordance: affordances,
        ]
        self.init(
            features: features, categories: categories, task: task, classCounts: counts.compactMapValues { $0 },
            temporalContext: temporalContext, fusionWeight: fusionWeight, settings: settings)
    }

    public var classes: Int? { classCounts[LabelGroup.actions] }
    public var subactivities: Int? { classCounts[LabelGroup.subactivity] }
    public var affordances: Int? { classCounts[LabelGroup.affordance] }

    /// Equal when the data's fields agree and every setting has the same value, given or default.
    public static func == (a: ModelConfig, b: ModelConfig) -> Bool {
        (a.features, a.categories, a.task, a.classCounts) == (b.features, b.categories, b.task, b.classCounts)
            && a.temporalContext == b.temporalContext && a.fusionWeight == b.fusionWeight
            && a.settings.effective(ModelSettings.all) == b.settings.effective(ModelSettings.all)
    }

    /// The same, with `change` applied (`config.with { $0.hidden = 16 }`).
    public func with(_ change: (inout ModelConfig) -> Void) -> ModelConfig {
        var copy = self
        change(&copy)
        return copy
    }

    /// The value of a setting.
    public subscript<V>(_ setting: Setting<V>) -> V {
        get { settings[setting] }
        set { settings[setting] = newValue }
    }

    // The settings the model code reads, by name.
    public var variant: Variant {
        get { self[ModelSettings.variant] }
        set { self[ModelSettings.variant] = newValue }
    }
    /// The distillation scheme's name (`Catalogues.distillationSchemes`).
    public var distill: String {
        get { self[ModelSettings.distill] }
        set { self[ModelSettings.distill] = newValue }
    }
    /// Settings of the distillation scheme beyond τ, λ_kd and λ_feat, by the names the scheme
    /// declares (`DistillationScheme.parameters`); absent ones take the scheme's defaults.
    public var distillParameters: [String: Float] {
        get { self[ModelSettings.distillParameters].values }
        set { self[ModelSettings.distillParameters] = NamedNumbers(newValue) }
    }
    public var hidden: Int {
        get { self[ModelSettings.hidden] }
        set { self[ModelSettings.hidden] = newValue }
    }
    public var heads: Int {
        get { self[ModelSettings.heads] }
        set { self[ModelSettings.heads] = newValue }
    }
    public var localLayers: Int {
        get { self[ModelSettings.localLayers] }
        set { self[ModelSettings.localLayers] = newValue }
    }
    public var globalLayers: Int {
        get { self[ModelSettings.globalLayers] }
        set { self[ModelSettings.globalLayers] = newValue }
    }
    public var localEdges: LocalEdgeMode {
        get { self[ModelSettings.localEdges] }
        set { self[ModelSettings.localEdges] = newValue }
    }
    /// The layer both graphs are built from (`Catalogues.graphLayers`).
    public var graphLayer: String {
        get { self[ModelSettings.graphLayer] }
        set { self[ModelSettings.graphLayer] = newValue }
    }
    /// Dropout on the node encoder output.
    public var dropout: Float {
        get { self[ModelSettings.dropout] }
        set { self[ModelSettings.dropout] = newValue }
    }
    /// Dropout on attention weights; the same as `dropout` unless given.
    public var attentionDropout: Float? {
        get { self[ModelSettings.attentionDropout] }
        set { self[ModelSettings.attentionDropout] = newValue }
    }
    /// The distillation schedule: no distillation for the first `distillWarmup` epochs, then
    /// its weights ramp up linearly over `distillRamp` epochs (0, 0: at full weight throughout).
    public var distillWarmup: Double {
        get { self[ModelSettings.distillWarmup] }
        set { self[ModelSettings.distillWarmup] = newValue }
    }
    public var distillRamp: Double {
        get { self[ModelSettings.distillRamp] }
        set { self[ModelSettings.distillRamp] = newValue }
    }
    public var tau: Float {
        get { self[ModelSettings.tau] }
        set { self[ModelSettings.tau] = newValue }
    }
    public var lambdaKD: Float {
        get { self[ModelSettings.lambdaKD] }
        set { self[ModelSettings.lambdaKD] = newValue }
    }
    public var lambdaFeat: Float {
        get { self[ModelSettings.lambdaFeat] }
        set { self[ModelSettings.lambdaFeat] = newValue }
    }

    /// About how many weights the model has (an upper bound), or nil if it does not fit in memory.
    var parameterEstimate: Int? {
        let d = hidden
        let outputs = classCounts.values.reduce(0) { ResourceLimits.sum([$0, $1]) ?? .max }
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
        task.groups.map { ($0.name, classCounts[$0.name] ?? 0, $0.multiLabel) }
    }

    /// The keys of the JSON form that are not settings.
    enum Key {
        static let features = "features", categories = "categories", task = "task", temporalContext = "temporal_context"
        static let fusionWeight = "fusion_weight"
    }

    /// Reads the JSON form: the data's keys, and each setting under its key (absent: its default).
    public static func decode(json: String, source: String) throws(ConfigError) -> ModelConfig {
        func fail(_ p: String) -> ConfigError { ConfigError(source: source, problem: p) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            throw fail("the configuration is malformed: not a JSON object")
        }
        func integer(_ key: String, required: Bool) throws(ConfigError) -> Int? {
            guard let value = object[key], !(value is NSNull) else {
                if required { throw fail("the configuration has no '\(key)'") }
                return nil
            }
            guard let n = Int(jsonValue: value) else { throw fail("the configuration has a wrong type at '\(key)'") }
            return n
        }
        guard let taskText = object[Key.task] else { throw fail("the configuration has no 'task'") }
        guard let name = taskText as? String, let task = TaskKind(rawValue: name) else {
            throw fail(
                "the configuration has a wrong type at 'task' (\(Catalogues.tasks.names.joined(separator: " or ")))")
        }
        var context = TemporalContext.clip
        if let value = object[Key.temporalContext] {
            guard let text = value as? String, let c = TemporalContext(rawValue: text) else {
                throw fail("the configuration has a wrong type at 'temporal_context'")
            }
            context = c
        }
        var fusion: Float = 0.5
        if let value = object[Key.fusionWeight] {
            guard let w = Float(jsonValue: value) else {
                throw fail("the configuration has a wrong type at 'fusion_weight'")
            }
            fusion = w
        }
        let settings: SettingValues
        do {
            settings = try SettingValues.decode(object, settings: ModelSettings.all, source: source)
        } catch {
            throw ConfigError(
                source: source,
                problem:
                    "the configuration is malformed: \(error.description.replacingOccurrences(of: "\(source): ", with: ""))"
            )
        }
        var counts: [String: Int] = [:]
        for group in task.groups { counts[group.name] = try integer(group.countKey, required: false) }
        let config = ModelConfig(
            features: try integer(Key.features, required: true)!,
            categories: try integer(Key.categories, required: true)!, task: task,
            classCounts: counts, temporalContext: context, fusionWeight: fusion, settings: settings)
        try config.validate(source: source)
        return config
    }

    /// The JSON form: every setting under its key (the default ones too, so that a reader needs
    /// no copy of our defaults), but those without a value (absent attention dropout, no scheme
    /// parameters).
    public func jsonObject() -> [String: Any] {
        var object = settings.jsonObject(ModelSettings.all).filter { _, value in
            !(value is NSNull) && !((value as? [String: Any])?.isEmpty ?? false)
        }
        object[Key.features] = features
        object[Key.categories] = categories
        object[Key.task] = task.rawValue
        for group in task.groups { if let count = classCounts[group.name] { object[group.countKey] = count } }
        if temporalContext != .clip { object[Key.temporalContext] = temporalContext.rawValue }
        if fusionWeight != 0.5 { object[Key.fusionWeight] = fusionWeight }
        return object
    }

    public func json() -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Checks that the sizes make a model: each setting against its declaration, then what
    /// they must satisfy together and with the data.
    public func validate(source: String = "configuration") throws(ConfigError) {
        func fail(_ p: String) -> ConfigError { ConfigError(source: source, problem: p) }
        for setting in ModelSettings.all {
            if let value = settings.anyValue(setting), let problem = setting.problem(ofAny: value) {
                throw fail(problem.description)
            }
        }
        if let problem = ModelSettings.problems(settings).first { throw fail(problem) }
        guard features >= 0, categories > 0 else {
            throw fail("features ≥ 0 and categories > 0 are required (got \(features), \(categories))")
        }
        // Sizes that a file or an option can name: each within reason, and the weights (with
        // their gradients and the optimizer's two moments) within memory.
        let bounds: [(String, Int, Int)] =
            [("features", features, 1 << 20), ("categories", categories, 1 << 20)]
            + task.groups.map { ($0.countKey, classCounts[$0.name] ?? 0, 1 << 20) }
        if let (name, value, limit) = bounds.first(where: { $0.1 > $0.2 }) {
            throw fail("'\(name)' = \(value) exceeds \(limit)")
        }
        guard let weights = parameterEstimate, ResourceLimits.product([weights, 4]) != nil else {
            throw fail(
                "the model would need more memory than this machine has (--hidden \(hidden), \(features) features, --local-layers \(localLayers), --global-layers \(globalLayers))"
            )
        }
        guard (0...1).contains(fusionWeight) else {
            throw fail("the fusion weight must lie in [0, 1] (got \(fusionWeight))")
        }
        for group in task.groups where (classCounts[group.name] ?? 0) <= 0 {
            throw fail("the \(task.rawValue) task needs '\(group.countKey)' > 0")
        }
        if task.labelsClipsOnly, temporalContext != .clip {
            throw fail("the \(task.rawValue) task labels whole clips: its temporal context is 'clip'")
        }
    }
}

/// A configuration that cannot describe a model.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let problem: String
    public var description: String { "\(source): \(problem)" }
}
