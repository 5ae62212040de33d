import ArgumentParser
import Foundation
import GLIDN
import HOIData
import Settings

/// `glidn train`: trains one model and keeps its checkpoints and metrics (`TrainingPlan`).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Train a model; writes epoch-NNN.safetensors, best.safetensors, metrics.jsonl and resume.safetensors.",
        usage: "glidn train [--output <folder>] [--resume | --overwrite] [<settings>]",
        discussion: SettingsHelpText.discussion(.all))

    @Option(help: "Output folder (default: runs/<dataset>-<variant>-<distill>).")
    var output: String?

    @Flag(help: "Continue the run stopped in the output folder.")
    var resume = false

    @Flag(help: "Replace the run in the output folder (its checkpoints and metrics; nothing else).")
    var overwrite = false

    @Flag(help: "With --resume: continue even though the data files changed since the run began.")
    var acceptChangedData = false

    @Option(
        help:
            "Keep epoch-NNN.safetensors of every Nth epoch and the last (1: every epoch; 0: none). best.safetensors, resume.safetensors and metrics.jsonl are always written."
    )
    var keepEvery = 1

    @Flag(
        help:
            "The online model: short for --task online (each segment's, or each prefix's, labels from what has been seen so far; the data set's recipe for it, teacher included)."
    )
    var online = false

    @OptionGroup var settings: SettingArguments

    /// The settings given; with --resume, the stored run's data set is the default.
    func given() throws -> SettingValues {
        var stored: String?
        if resume, let output, let run = try? TrainingRun.stored(in: URL(fileURLWithPath: output)) {
            stored = StoredData.settings(in: run.metadata)?[DataSettings.dataset]
        }
        var values = try foldSpec.settings.values(
            .all, defaultDataset: stored,
            otherOptions: ["output", "resume", "overwrite", "accept-changed-data", "keep-every", "online"])
        if online {
            if let task = values.given(DataSettings.task) ?? nil, task != "online" {
                throw ValidationError("--online is --task online; it contradicts --task \(task)")
            }
            values[DataSettings.task] = "online"
        }
        return values
    }

    /// A path as a shell reads it back.
    static func quoted(_ path: String) -> String {
        path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) }
            ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("--output is empty: name the run's folder") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if keepEvery < 0 { throw ValidationError("--keep-every cannot be negative, got \(keepEvery)") }
        let given = try given()
        do { _ = try RunSettings(given: given) } catch { throw ValidationError(error.description) }
        if let problem = ModelSettings.problems(given).first { throw ValidationError(problem) }
    }

    func run() throws {
        if let spec = foldSpec.spec { return try runFolds(spec) }
        // From the start: a signal while the data loads stops after the first step.
        let interruption = Interruption(what: "finishing the step in progress, then saving the run to resume")
        let settings = try RunSettings(given: try given())
        let folder = output.map { URL(fileURLWithPath: $0) } ?? TrainingPlan.defaultFolder(settings)
        // Before any work: the output folder can be written and overwrites no input.
        let data = settings.data
        try OutputCheck.folder(
            folder, option: "--output",
            writes: [TrainingRun.metricsFile, TrainingRun.bestFile, TrainingRun.resumeFile],
            inputs: [data.data?.path, data.annotations?.path, data.testAnnotations?.path])
        let plan = try TrainingPlan(
            settings: settings, output: folder, resume: resume, overwrite: overwrite,
            acceptChangedData: acceptChangedData)
        plan.run.keepEvery = keepEvery
        if let summary = plan.resumeSummary { print(summary) }
        let config = plan.config
        print(
            "training \(config.variant.rawValue) (distill \(config.effectiveDistillation)), \(plan.model.parameterCount) parameters, "
                + "on \(plan.data.train.count) clips of \(plan.data.info.name); output \(folder.path)")
        if let teaching = plan.teaching {
            let runs = plan.teacherRuns
            let from =
                runs.isEmpty
                ? "the teacher \(teaching.source)"
                : runs.count == 1
                    ? "a teacher trained first (\(runs[0].config.variant.rawValue), into \(runs[0].folder.path))"
                    : "\(runs.count) cross-fitted teachers trained first (\(runs[0].config.variant.rawValue), into "
                        + runs.map(\.folder.path).joined(separator: ", ") + ")"
            print("taught by \(from) through --teacher-distill \(type(of: teaching.scheme).name)")
        }
        if plan.resumeSummary == nil, let recipe = plan.settings.recipe, !plan.settings.fromRecipe.isEmpty {
            print(
                "options not given follow the \(plan.data.info.name) recipe (\(recipe.evidence)): "
                    + plan.settings.fromRecipe.joined(separator: " "))
        }
        let outcome: TrainingPlan.Outcome
        do {
            outcome = try plan.train(
                observer: ProgressDisplay(label: config.variant.rawValue, terms: plan.termNames),
                teacherObserver: plan.teacherRuns.first.map { ProgressDisplay(label: "teacher", terms: $0.termNames) },
                shouldStop: { interruption.requested })
        } catch let stopped as TrainingRun.Interrupted {
            print("\(stopped.description); continue with: glidn train --resume --output \(Self.quoted(folder.path))")
            throw ExitCode(interruption.exitCode)
        }
        if outcome.stoppedEarly, let best = outcome.bestEpoch {
            print(
                "stopped early after epoch \(outcome.completedEpochs): no better validation \(outcome.metricName) since epoch \(best) (--patience \(plan.options.patience ?? 0))"
            )
        }
        if let weight = outcome.chosenFusionWeight {
            print(
                "fusion chosen on the validation data: local weight \(weight) ("
                    + outcome.fusionScores.map { String(format: "%.1f: %.2f", $0.weight, $0.score) }.joined(
                        separator: ", ") + ")")
        }
        if !outcome.hadValidation {
            print("no validation data: best.safetensors is the last epoch's model (\(outcome.checkpoint.path))")
        } else if let best = outcome.bestEpoch {
            print(
                "best epoch \(best): validation \(outcome.metricName) \(String(format: "%.2f", outcome.bestMetric ?? 0)); checkpoint \(outcome.checkpoint.path)"
            )
        }
    }
}
