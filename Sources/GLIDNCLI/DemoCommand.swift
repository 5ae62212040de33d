import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn demo`: the main job. Trains the model variants on the synthetic benchmark,
/// tests them on held-out clips and writes a comparison table and an HTML report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train pooled, local, global, glidn (no distillation) and glidn (relational distillation) on the synthetic benchmark and compare them.",
        discussion: """
        Writes report.html (loss curves, per-class AP, attention drawn over boxes) and results.json (run → test metrics) \
        into --output, and each run's checkpoints into a subfolder. --runs and --seeds turn it into any comparison, \
        e.g. the distillation study: --runs glidn:none,glidn:mutual,glidn:global-to-local,glidn:local-to-global --seeds 0,1,2
        """)

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Model (--variant and --distill are set per run by --runs)") var model: ModelOptions
    @OptionGroup(title: "Training") var training: TrainingArguments

    @Option(help: "Runs to compare, as variant or variant:distillation, separated by commas.")
    var runs = "pooled,local,global,glidn:none,glidn:relational"

    @Option(help: "Seeds (training and data), separated by commas; with several, the table shows mean ± standard deviation.")
    var seeds = "0"

    @Option(help: "Folder for the report, results.json and every run's checkpoints.")
    var output = "glidn-demo"

    @Flag(help: "Write into --output even if it already holds files (the runs in it are trained again).")
    var overwrite = false

    var parsedRuns: [(variant: Variant, distill: String)] {
        get throws {
            try runs.split(separator: ",").map { item in
                let parts = item.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
                guard let variant = Variant(rawValue: parts[0]), parts.count <= 2 else {
                    throw ValidationError("--runs: '\(item)' is not variant[:distillation] (variants: \(Variant.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let distill = parts.count == 2 ? parts[1] : (variant == .glidn ? Recipe.standard.distill! : NoDistillation.name)
                guard DistillationCatalogue.scheme(named: distill) != nil else {
                    throw ValidationError("--runs: '\(distill)' is not a distillation scheme (\(DistillationCatalogue.names.joined(separator: ", ")))")
                }
                return (variant, distill)
            }
        }
    }

    var parsedSeeds: [UInt64] {
        get throws {
            try seeds.split(separator: ",").map {
                guard let s = UInt64($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--seeds: '\($0)' is not a seed") }
                return s
            }
        }
    }

    func validate() throws {
        guard try !parsedRuns.isEmpty, try !parsedSeeds.isEmpty else { throw ValidationError("--runs and --seeds need at least one entry") }
    }

    static func runName(_ variant: Variant, _ distill: String) -> String {
        variant == .glidn ? "glidn \(distill)" : variant.rawValue
    }

    func run() throws {
        let began = Date()
        let folder = URL(fileURLWithPath: output)
        // As train does: never mix a new demo into the files of an old one unless told to.
        if let kind = AtomicFile.kind(of: folder.path), kind == "a folder",
           let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !contents.isEmpty, !overwrite {
            throw ValidationError("\(folder.path) is not empty: pass --overwrite to replace the demo in it, or choose another --output")
        }
        try OutputCheck.folder(folder, option: "--output", writes: ["report.html", "results.json"], inputs: [data.data])
        if overwrite {
            // Each run's folder is started afresh: a run folder holding an old run would refuse it.
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let run = folder.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: run.appendingPathComponent(TrainingRun.resumeFile).path) {
                    try FileManager.default.removeItem(at: run)
                }
            }
        }
        let runList = try parsedRuns
        let seedList = try parsedSeeds
        var results: [RunResult] = []
        var attention: [(run: String, examples: [AttentionExample])] = []
        var info: DatasetInfo?
        for seed in seedList {
            var dataOptions = data
            dataOptions.dataSeed = (data.dataSeed ?? SyntheticSettings().seed) &+ seed
            let loaded = try dataOptions.load()
            info = loaded.info
            guard let test = loaded.test else { throw ValidationError("the data set has no test split") }
            var experimentData = ExperimentData(info: loaded.info, train: loaded.train, validation: loaded.validation, test: test,
                                                description: loaded.description, orderPairs: loaded.info.orderPairs)
            experimentData.metadata[DataChoices.metadataKey] = dataOptions.choices.json()
            print("seed \(seed): \(loaded.train.count) training, \(loaded.validation?.count ?? 0) validation, \(test.count) test clips")
            for (k, (variant, distill)) in runList.enumerated() {
                var modelOptions = model
                modelOptions.variant = variant
                modelOptions.distill = distill
                var options = training.options()
                options.seed = (training.seed ?? 0) &+ seed
                let name = Self.runName(variant, distill)
                let spec = RunSpec(name: name, config: try modelOptions.config(for: loaded.info), options: options)
                let label = "[\(k + 1)/\(runList.count)\(seedList.count > 1 ? " seed \(seed)" : "")] \(name)"
                let result = try Experiment.run(spec, data: experimentData, output: folder, observer: ProgressDisplay(label: label, terms: try GLIDNModel(config: spec.config, seed: 0).objective.termNames))
                print("\(label): test " + MetricsTable.summary(result.test) + String(format: "  (%.0f s)", result.trainingSeconds))
                results.append(result)
                // The local attention of every run that has local graphs, so that the report shows
                // what each objective does to it.
                if seed == seedList[0], variant == .glidn || variant == .local {
                    let (trained, _) = try ModelCheckpoint.load(result.checkpoint)
                    let clips = try (0..<min(4, test.count)).map { try test.clip(at: $0) }
                    attention.removeAll { $0.run == name }
                    attention.append((name, try AttentionExample.collect(model: trained, clips: clips, info: loaded.info)))
                }
            }
        }
        guard let info else { return }
        print("")
        print(ComparisonTable.render(results, task: info.task))
        try writeOutputs(results: results, attention: attention, info: info, folder: folder)
        print(String(format: "total %.0f s; report %@", Date().timeIntervalSince(began), folder.appendingPathComponent("report.html").path))
    }

    func writeOutputs(results: [RunResult], attention: [(run: String, examples: [AttentionExample])], info: DatasetInfo, folder: URL) throws {
        let command = (["glidn"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = HTMLReport(title: "GLIDN demo: model variants on the synthetic HOI benchmark", command: command,
                                info: info, results: results, attention: attention)
        try AtomicFile.write(report.render(), to: folder.appendingPathComponent("report.html"))
        var json: [String: Any] = [:]
        for group in Experiment.summarize(results) {
            var entry: [String: Any] = ["runs": group.runs]
            for (k, v) in group.metrics {
                entry[k] = v.mean
                if group.runs > 1 { entry[k + "_std"] = v.std }
            }
            json[group.name] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(data, to: folder.appendingPathComponent("results.json"))
    }
}

/// The comparison table printed by the demo.
enum ComparisonTable {
    static func render(_ results: [RunResult], task: TaskKind) -> String {
        let groups = Experiment.summarize(results)
        let keys: [String] = task == .video
            ? ["mAP", "WAP", "order_accuracy", "attention_accuracy"]
            : ["mean_f1", "sub_activity_f1", "affordance_f1", "attention_accuracy"]
        let present = keys.filter { k in groups.contains { $0.metrics[k] != nil } }
        let several = groups.contains { $0.runs > 1 }
        let widths = present.map { max($0.count + 2, several ? 17 : 9) }
        let labels = groups.map { "\($0.name)\(several ? " (\($0.runs))" : "")" }
        let nameWidth = (labels.map(\.count).max() ?? 3) + 2
        var lines = ["run".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            + zip(present, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()]
        for (g, label) in zip(groups, labels) {
            var line = label.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            for (k, width) in zip(present, widths) {
                let cell = g.metrics[k].map { several ? String(format: "%.2f ± %.2f", $0.mean, $0.std) : String(format: "%.2f", $0.mean) } ?? "–"
                line += cell.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
