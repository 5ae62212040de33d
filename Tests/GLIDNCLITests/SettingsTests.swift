import Foundation
import GLIDN
import GLIDNCLI
import HOIData
import NN
import Settings
import TestSupport
import Testing

/// Each setting is declared once; these tests hold what `--help` shows, what a checkpoint stores
/// and what the trainer uses to that declaration.
@Suite("Settings, declared once", .serialized)
struct SettingsTests {
    static var everySetting: [any AnySetting] {
        ModelSettings.all + TrainingSettings.all
            + Catalogues.datasets.entries.flatMap { provider in provider.allSettings }
    }

    @Test("`glidn train --help` lists every setting with its declared default, and every recipe")
    func help() throws {
        let help = try CommandTests.tool(["train", "--help"])
        #expect(help.status == 0)
        #expect(help.out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "help lines fit 80 columns")
        // Lines joined: a wrapped entry reads as one.
        let text = help.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for setting in Self.everySetting {
            #expect(
                text.contains(setting.option) && text.contains("default: \(setting.defaultText))"),
                "\(setting.option) (default: \(setting.defaultText)) is not in the help")
        }
        for provider in Catalogues.datasets.entries {
            for recipe in provider.recipes.values { #expect(text.contains(recipe.arguments.joined(separator: " "))) }
        }
    }

    @Test("a run given no model or training setting stores and uses every declared default")
    func defaults() throws {
        let out = CommandTests.folder("defaults")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = [
            "--train-clips", "16", "--validation-clips", "4", "--test-clips", "4", "--frames", "21", "--feature-size",
            "4",
        ]
        // What the trainer uses.
        let settings = try RunSettings(given: try RunSettings.parse(data, groups: .all))
        let plan = try TrainingPlan(settings: settings, output: URL(fileURLWithPath: out))
        for setting in ModelSettings.all {
            #expect(
                plan.config.settings.text(setting) == setting.anyDefault.settingText,
                "the model uses \(setting.option) \(plan.config.settings.text(setting))")
        }
        for setting in TrainingSettings.all {
            #expect(
                plan.options.settings.text(setting) == setting.anyDefault.settingText,
                "the trainer uses \(setting.option) \(plan.options.settings.text(setting))")
        }
        // What the checkpoint and the resume file store, through the command line.
        try CommandTests.run(["train", "--output", out + "/cli"] + data)
        let best = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: out + "/cli/best.safetensors"))
        let config = try #require(
            try JSONSerialization.jsonObject(with: Data((best.metadata["config"] ?? "").utf8)) as? [String: Any])
        let stored = try SettingValues.decode(config, settings: ModelSettings.all, source: "checkpoint")
        for setting in ModelSettings.all {
            #expect(
                stored.text(setting) == setting.anyDefault.settingText,
                "the checkpoint stores \(setting.key) \(stored.text(setting))")
            #expect(
                config[setting.key] != nil || setting.anyDefault.jsonValue is NSNull
                    || (setting.anyDefault as? NamedNumbers)?.values.isEmpty == true,
                "the checkpoint lacks \(setting.key)")
        }
        let run = try TrainingRun.stored(in: URL(fileURLWithPath: out + "/cli"))
        for setting in TrainingSettings.all {
            #expect(
                run.options.settings.text(setting) == setting.anyDefault.settingText,
                "the resume file stores \(setting.option) \(run.options.settings.text(setting))")
        }
    }

    @Test("every recipe reads as settings, and a run of its data set and task takes its values unless given others")
    func recipes() throws {
        for provider in Catalogues.datasets.entries {
            for (task, recipe) in provider.recipes {
                let values = try recipe.values(RunSettings.modelAndTraining)
                #expect(!values.isEmpty)
                var given = SettingValues()
                given[DataSettings.dataset] = provider.name
                given[DataSettings.task] = task
                let run = try RunSettings(given: given)
                for name in values.givenNames {
                    let setting = try #require(RunSettings.modelAndTraining.first { $0.name == name })
                    #expect(run.values.text(setting) == values.text(setting))
                }
                given[ModelSettings.hidden] = 32
                #expect(
                    try RunSettings(given: given)[ModelSettings.hidden] == 32, "a given setting wins over the recipe")
            }
        }
    }

    @Test("the parser: --name=value, switches, repeated entries, and errors that name the option")
    func parser() throws {
        let settings: [any AnySetting] = [
            ModelSettings.hidden, ModelSettings.distillParameters, DataSettings.skipMissing,
            TrainingSettings.learningRate,
        ]
        let values = try SettingParser.parse(
            [
                "--hidden=32", "--skip-missing", "--distill-parameter", "a=1", "--distill-parameter", "b=2",
                "--learning-rate", "0.5",
            ], settings: settings)
        #expect(
            values[ModelSettings.hidden] == 32 && values[DataSettings.skipMissing]
                && values[TrainingSettings.learningRate] == 0.5)
        #expect(values[ModelSettings.distillParameters].values == ["a": 1, "b": 2])
        #expect { try SettingParser.parse(["--hiden", "3"], settings: settings) } throws: {
            "\($0)".contains("did you mean --hidden?")
        }
        #expect { try SettingParser.parse(["--hidden"], settings: settings) } throws: {
            "\($0)".contains("missing value for --hidden")
        }
        #expect { try SettingParser.parse(["--hidden", "-3"], settings: settings) } throws: {
            "\($0)".contains("--hidden cannot be negative, got -3")
        }
        #expect { try SettingParser.parse(["--hidden", "x"], settings: settings) } throws: {
            "\($0)".contains("--hidden takes a value of type <int>, got 'x'")
        }
    }
}
