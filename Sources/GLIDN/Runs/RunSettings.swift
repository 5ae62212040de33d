import Foundation
import HOIData
import Settings

/// The settings of one run, resolved: the values given (by a user or a program) over the data
/// set's recipe for its task, over the declared defaults.
public struct RunSettings: Sendable {
    /// The groups of settings a command reads besides the data's.
    public enum Groups: Sendable { case dataOnly, all }

    /// The model's and training's settings.
    public static let modelAndTraining: [any AnySetting] = ModelSettings.all + TrainingSettings.all

    /// The values given.
    public let given: SettingValues
    /// The data set's recipe for the task, if it has one, and its values.
    public let recipe: Recipe?
    public let recipeValues: SettingValues
    /// The given values over the recipe's (a setting in neither has its declared default).
    public let values: SettingValues
    public let dataset: any DatasetProvider.Type

    public init(given: SettingValues) throws(SettingError) {
        dataset = try Catalogues.datasets.lookUp(given[DataSettings.dataset])
        recipe = dataset.recipe(task: given[DataSettings.task])
        recipeValues = try recipe?.values(Self.modelAndTraining) ?? SettingValues()
        values = given.over(recipeValues)
        self.given = given
    }

    /// Reads settings from command-line words: `--dataset` first (else `defaultDataset`, else the
    /// declared default), then every word against the settings that data set reads (and, for
    /// `.all`, the model's and training's). A setting of another data set is refused by name.
    public static func parse(
        _ words: [String], groups: Groups, defaultDataset: String? = nil,
        otherOptions: [String] = []
    ) throws -> SettingValues {
        var name = defaultDataset ?? DataSettings.dataset.defaultValue
        for (i, word) in words.enumerated() {
            if word == DataSettings.dataset.option, i + 1 < words.count { name = words[i + 1] }
            if word.hasPrefix(DataSettings.dataset.option + "=") {
                name = String(word.dropFirst(DataSettings.dataset.option.count + 1))
            }
        }
        let provider: any DatasetProvider.Type = try Catalogues.datasets.lookUp(name)
        let settings = provider.allSettings + (groups == .all ? modelAndTraining : [])
        if let misplaced = misplaced(words, settings: settings, provider: provider, groups: groups) { throw misplaced }
        var values = try SettingParser.parse(words, settings: settings, otherOptions: otherOptions)
        if defaultDataset != nil, !values.isGiven(DataSettings.dataset.name) { values[DataSettings.dataset] = name }
        return values
    }

    /// An option of another data set, or of the model given to a command that reads none, said so
    /// (rather than "unknown option").
    static func misplaced(
        _ words: [String], settings: [any AnySetting], provider: any DatasetProvider.Type,
        groups: Groups
    ) -> SettingError? {
        for word in words where word.hasPrefix("--") {
            let option = String(word.dropFirst(2).prefix { $0 != "=" })
            guard !settings.contains(where: { $0.optionNames.contains(option) }) else { continue }
            let readers = Catalogues.datasets.entries.filter {
                $0.settings.contains { $0.optionNames.contains(option) }
            }
            if !readers.isEmpty {
                let names = readers.map { $0.name }.joined(separator: ", ")
                let reads = provider.allSettings.map { $0.option }.joined(separator: ", ")
                return SettingError(
                    "--\(option) does not apply to --dataset \(provider.name) (\(names) read\(readers.count == 1 ? "s" : "") it; \(provider.name) reads \(reads))"
                )
            }
            if groups == .dataOnly, modelAndTraining.contains(where: { $0.optionNames.contains(option) }) {
                return SettingError("--\(option) is a setting of training; this command uses the checkpoint's own")
            }
        }
        return nil
    }

    public subscript<V>(_ setting: Setting<V>) -> V { values[setting] }

    /// The request for the data these settings name.
    public var data: DataRequest { DataRequest(values.restricted(to: dataset.allSettings)) }

    /// How to train.
    public var training: TrainingOptions { TrainingOptions(settings: values.restricted(to: TrainingSettings.all)) }

    /// The model's configuration for data described by `info`: the model settings, the data's
    /// sizes, labels and temporal context; checked.
    public func modelConfig(for info: DatasetInfo) throws(ConfigError) -> ModelConfig {
        let config = ModelConfig(info: info, settings: values.restricted(to: ModelSettings.all))
        try config.validate(source: "model settings")
        return config
    }

    /// The settings whose values come from the recipe (not given), as "--name value", for messages.
    public var fromRecipe: [String] {
        Self.modelAndTraining.compactMap { s in
            recipeValues.isGiven(s.name) && !given.isGiven(s.name) ? "\(s.option) \(values.text(s))" : nil
        }
    }
}

extension ModelConfig {
    /// A configuration for data described by `info`, with `settings`.
    public init(info: DatasetInfo, settings: SettingValues = SettingValues()) {
        self.init(
            features: info.featureSize, categories: info.categoryNames.count, task: info.task,
            classCounts: Dictionary(uniqueKeysWithValues: info.labelGroups.map { ($0.spec.name, $0.classes) }),
            temporalContext: info.temporalContext, settings: settings)
    }
}
