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
    func values(_ groups: RunSettings.Groups, defaultDataset: String? = nil, otherOptions: [String] = []) throws
        -> SettingValues
    {
        do {
            return try RunSettings.parse(
                words, groups: groups, defaultDataset: defaultDataset, otherOptions: otherOptions)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// The settings part of `--help`, from the declarations, each line within 79 columns.
enum SettingsHelpText {
    static func discussion(_ groups: RunSettings.Groups, intro: String = "") -> String {
        func paragraph(_ text: String, indent: Int = 0) -> String {
            SettingsHelp.wrap(text, first: String(repeating: " ", count: indent), indent: indent + 2).joined(
                separator: "\n")
        }
        func list(_ title: String, _ entries: [String]) -> String {
            ([title] + entries.map { paragraph($0, indent: 4) }).joined(separator: "\n")
        }
        var parts: [String] = intro.isEmpty ? [] : [paragraph(intro)]
        parts.append(
            "DATA:\n"
                + SettingsHelp.lines([DataSettings.dataset, DataSettings.task, DataSettings.videoID]).joined(
                    separator: "\n"))
        for provider in Catalogues.datasets.entries {
            var text = paragraph(
                "--dataset \(provider.name): \(provider.summary)"
                    + (provider.tasks.count > 1 ? "; tasks: \(provider.tasks.joined(separator: ", "))" : ""), indent: 2)
            if !provider.settings.isEmpty {
                text += "\n" + SettingsHelp.lines(provider.settings, indent: 4).joined(separator: "\n")
            }
            for (task, recipe) in provider.recipes.sorted(by: { $0.key < $1.key }) {
                text += "\n" + paragraph("recipe for \(task) (\(recipe.evidence)):", indent: 4)
                text += "\n" + paragraph(recipe.arguments.joined(separator: " "), indent: 6)
            }
            parts.append(text)
        }
        if groups == .all {
            parts.append("MODEL:\n" + SettingsHelp.lines(ModelSettings.all).joined(separator: "\n"))
            parts.append(list("  distillation schemes (--distill):", Catalogues.distillationSchemes.descriptions))
            let parameters = Catalogues.distillationSchemes.entries.flatMap { s in
                s.parameters.map { "\(s.name): \($0.name) (default \($0.defaultValue)): \($0.summary)" }
            }
            if !parameters.isEmpty {
                parts.append(list("  scheme parameters (--distill-parameter name=value):", parameters))
            }
            parts.append(list("  graph layers (--graph-layer):", Catalogues.graphLayers.descriptions))
            parts.append("TRAINING:\n" + SettingsHelp.lines(TrainingSettings.all).joined(separator: "\n"))
            parts.append(list("  teacher schemes (--teacher-distill):", Catalogues.teacherSchemes.descriptions))
            parts.append(
                paragraph(
                    "A setting left out takes the data set's recipe for the task, if it has one, else the default shown."
                ))
        }
        return parts.joined(separator: "\n\n")
    }
}
