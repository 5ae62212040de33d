import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN
import Settings

/// `glidn demo`: the main job. Trains the model variants on the synthetic benchmark,
/// tests them on held-out clips and writes a comparison table and an HTML report (`Comparison`).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Train pooled, local, global, glidn (no distillation) and glidn (relational distillation) on the synthetic benchmark and compare them.",
        discussion: """
            Writes report.html (loss curves, per-class AP, attention drawn over boxes) and results.json (run → test metrics) \
            into --output, and each run's checkpoints into a subfolder. --runs and --seeds turn it into any comparison, \
            e.g. the distillation study: --runs glidn:none,glidn:mutual,glidn:global-to-local,glidn:local-to-global --seeds 0,1,2. \
            --variant and --distill are set per run by --runs.


            """ + SettingsHelpText.discussion(.all))

    @Option(help: "Runs to compare, as variant or variant:distillation, separated by commas.")
    var runs = "pooled,local,global,glidn:none,glidn:relational"

    @Option(
        help: "Seeds (training and data), separated by commas; with several, the table shows mean ± standard deviation."
    )
    var seeds = "0"

    @Option(help: "Folder for the report, results.json and every run's checkpoints.")
    var output = "glidn-demo"

    @Flag(help: "Write into --output even if it already holds files (the runs in it are trained again).")
    var overwrite = false

    @OptionGroup var settings: SettingArguments

    var parsedSeeds: [UInt64] {
        get throws {
            let seeds = try seeds.split(separator: ",").map {
                guard let s = UInt64($0.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--seeds: '\($0)' is not a seed")
                }
                return s
            }
            guard !seeds.isEmpty else { throw ValidationError("--seeds needs at least one seed") }
            return seeds
        }
    }

    func given() throws -> SettingValues {
        try settings.values(.all, otherOptions: ["runs", "seeds", "output", "overwrite"])
    }

    func validate() throws {
        do { _ = try Comparison.entries(runs) } catch { throw ValidationError(error.description) }
        _ = try parsedSeeds
        _ = try given()
    }

    func run() throws {
        let began = Date()
        let folder = URL(fileURLWithPath: output)
        let given = try given()
        try OutputCheck.folder(
            folder, option: "--output", writes: ["report.html", "results.json"], inputs: [given[DataSettings.data]])
        // One demo writes a folder at a time (its lock is held until the process ends).
        let lock = try RunFolderLock(folder, command: "glidn demo")
        defer { withExtendedLifetime(lock) {} }
        // As train does: never mix a new demo into the files of an old one unless told to.
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
            contents.contains(where: { $0 != RunFolderLock.fileName }), !overwrite
        {
            throw ValidationError(
                "\(folder.path) is not empty: pass --overwrite to replace the demo in it, or choose another --output")
        }
        if overwrite {
            // Each run's folder is started afresh: a run folder holding an old run would refuse it.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let run = folder.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: run.appendingPathComponent(TrainingRun.resumeFile).path) {
                    try FileManager.default.removeItem(at: run)
                }
            }
        }
        // As train does: say which options the data set's recipe chose (every run but its variant).
        if let settings = try? RunSettings(given: given), let recipe = settings.recipe, !settings.fromRecipe.isEmpty {
            print(
                "options not given follow the \(given[DataSettings.dataset]) recipe (\(recipe.evidence)), for every run: "
                    + settings.fromRecipe.filter { !$0.hasPrefix("--variant") && !$0.hasPrefix("--distill") }.joined(
                        separator: " "))
        }
        let comparison = Comparison(
            entries: try Comparison.entries(runs), seeds: try parsedSeeds, given: given, output: folder)
        let display: (String, [String]) -> TrainingObserver? = { label, terms in
            ProgressDisplay(label: label, terms: terms)
        }
        let outcome = try comparison.run(
            observer: display,
            events: { event in
                switch event {
                case .seedLoaded(let seed, let train, let validation, let test):
                    print("seed \(seed): \(train) training, \(validation) validation, \(test) test clips")
                case .runFinished(let label, let result):
                    print(
                        "\(label): test " + MetricsTable.summary(result.test)
                            + String(format: "  (%.0f s)", result.trainingSeconds))
                }
            })
        print("")
        print(outcome.table)
        let command = (["glidn"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        try outcome.write(
            to: folder, title: "GLIDN demo: model variants on the synthetic HOI benchmark", command: command)
        print(
            String(
                format: "total %.0f s; report %@", Date().timeIntervalSince(began),
                folder.appendingPathComponent("report.html").path))
    }
}
