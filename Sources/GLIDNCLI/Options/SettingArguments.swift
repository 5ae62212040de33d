import ArgumentParser
import GLIDN
import HOIData
import Settings

extension SplitChoice: ExpressibleByArgument {}

/// The settings a command reads (data, and for training the model's and training's), taken
/// from the words ArgumentParser does not know: each is declared once in the libraries
/// (`DataSettings`, `ModelSettings`, `TrainingSettings`, a data set's own), which check it and
/// name it in errors. `--help` lists them (`SettingsHelpText`).
struct SettingArguments: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var words: [String] = []

    /// The values given, for a command reading `groups`; the data set is `--dataset`, else
    /// `defaultDataset` (a checkpoint's), else the declared default.
    func values(_ groups: RunSettings.Groups, defaultDataset: String? = nil, otherOptions: [String] = []) throws -> SettingValues {
        do {
            return try RunSettings.parse(words, groups: groups, defaultDataset: defaultDataset, otherOptions: otherOptions)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// The settings part of `--help`, from the declarations.
enum SettingsHelpText {
    static func discussion(_ groups: RunSettings.Groups, intro: String = "") -> String {
        var parts: [String] = intro.isEmpty ? [] : [intro]
        let common: [any AnySetting] = [DataSettings.dataset, DataSettings.task]
        parts.append("DATA:\n" + SettingsHelp.lines(common).joined(separator: "\n"))
        for provider in Catalogues.datasets.entries {
            var text = "  --dataset \(provider.name): \(provider.summary)"
            if provider.tasks.count > 1 { text += "; tasks: \(provider.tasks.joined(separator: ", "))" }
            if !provider.settings.isEmpty { text += "\n" + SettingsHelp.lines(provider.settings).map { "  " + $0 }.joined(separator: "\n") }
            for (task, recipe) in provider.recipes.sorted(by: { $0.key < $1.key }) {
                text += "\n    recipe for \(task) (\(recipe.evidence)):\n      " + recipe.arguments.joined(separator: " ")
            }
            parts.append(text)
        }
        if groups == .all {
            parts.append("MODEL:\n" + SettingsHelp.lines(ModelSettings.all).joined(separator: "\n"))
            parts.append("  distillation schemes (--distill):\n" + Catalogues.distillationSchemes.descriptions.map { "    " + $0 }.joined(separator: "\n"))
            let parameters = Catalogues.distillationSchemes.entries.flatMap { s in
                s.parameters.map { "    \(s.name): \($0.name) (default \($0.defaultValue)): \($0.summary)" }
            }
            if !parameters.isEmpty { parts.append("  scheme parameters (--distill-parameter name=value):\n" + parameters.joined(separator: "\n")) }
            parts.append("  graph layers (--graph-layer):\n" + Catalogues.graphLayers.descriptions.map { "    " + $0 }.joined(separator: "\n"))
            parts.append("TRAINING:\n" + SettingsHelp.lines(TrainingSettings.all).joined(separator: "\n"))
            parts.append("A setting left out takes the data set's recipe for the task, if it has one, else the default shown.")
        }
        return parts.joined(separator: "\n\n")
    }
}
