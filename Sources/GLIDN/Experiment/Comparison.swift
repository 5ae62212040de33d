import Foundation
import HOIData
import NN
import Settings

/// The demo's comparison: model variants (and distillation schemes) trained on the same data for
/// each seed, each tested on held-out clips; then the table, `results.json` and the HTML report.
public struct Comparison {
    /// One kind of run: a variant and, for `glidn`, a distillation scheme.
    public struct Entry: Sendable, Equatable {
        public let variant: Variant
        public let distill: String
        /// "glidn relational", "pooled": the row's name.
        public var name: String { variant == .glidn ? "glidn \(distill)" : variant.rawValue }
    }

    /// What happens as the comparison runs, for display.
    public enum Event {
        case seedLoaded(seed: UInt64, train: Int, validation: Int, test: Int)
        case runFinished(label: String, result: RunResult)
    }

    public let entries: [Entry]
    public let seeds: [UInt64]
    /// The settings given: data, model and training, laid under each entry's variant and scheme.
    public let given: SettingValues
    public let output: URL

    public init(entries: [Entry], seeds: [UInt64], given: SettingValues, output: URL) {
        (self.entries, self.seeds, self.given, self.output) = (entries, seeds, given, output)
    }

    /// `variant` or `variant:distillation` items separated by commas.
    public static func entries(_ text: String) throws(SettingError) -> [Entry] {
        var out: [Entry] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard let variant = Variant(rawValue: parts[0]), parts.count <= 2 else {
                throw SettingError(
                    "--runs: '\(item)' is not variant[:distillation] (variants: \(Variant.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            let distill =
                parts.count == 2
                ? parts[1] : (variant == .glidn ? ModelSettings.distill.defaultValue : NoDistillation.name)
            guard Catalogues.distillationSchemes.entry(named: distill) != nil else {
                throw SettingError(
                    "--runs: '\(distill)' is not a distillation scheme (\(Catalogues.distillationSchemes.names.joined(separator: ", ")))"
                )
            }
            out.append(Entry(variant: variant, distill: distill))
        }
        guard !out.isEmpty else { throw SettingError("--runs needs at least one entry") }
        return out
    }

    /// What the comparison produced.
    public struct Outcome {
        public let results: [RunResult]
        public let attention: [(run: String, examples: [AttentionExample])]
        public let info: DatasetInfo

        /// Each run name's test metrics (mean, and standard deviation over seeds) as JSON.
        public func resultsJSON() throws -> Data {
            var json: [String: Any] = [:]
            for group in Experiment.summarize(results) {
                var entry: [String: Any] = ["runs": group.runs]
                for (k, v) in group.metrics {
                    entry[k] = v.mean
                    if group.runs > 1 { entry[k + "_std"] = v.std }
                }
                json[group.name] = entry
            }
            return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
        }

        public var table: String { ComparisonTable.render(results, task: info.task) }

        /// Writes `report.html` and `results.json` into `folder`.
        public func write(to folder: URL, title: String, command: String) throws {
            let report = HTMLReport(title: title, command: command, info: info, results: results, attention: attention)
            try AtomicFile.write(report.render(), to: folder.appendingPathComponent("report.html"))
            try AtomicFile.write(try resultsJSON(), to: folder.appendingPathComponent("results.json"))
        }
    }

    /// Trains and tests every entry for every seed (seed s offsets the data seed and the
    /// training seed), in the order given.
    public func run(observer: (_ label: String, _ terms: [String]) -> TrainingObserver?, events: (Event) -> Void) throws
        -> Outcome
    {
        var results: [RunResult] = []
        var attention: [(run: String, examples: [AttentionExample])] = []
        var info: DatasetInfo?
        for seed in seeds {
            var values = given
            let provider = try Catalogues.datasets.lookUp(given[DataSettings.dataset])
            if provider.settings.contains(where: { $0.name == SyntheticDataset.dataSeed.name }) {
                values[SyntheticDataset.dataSeed] = given[SyntheticDataset.dataSeed] &+ seed
            }
            let settings = try RunSettings(given: values)
            let loaded = try settings.data.load()
            info = loaded.info
            guard let test = loaded.test else {
                let folds =
                    loaded.folds.isEmpty
                    ? ""
                    : " (give --fold K, K one of \(loaded.folds.map(String.init).joined(separator: ", ")): the subject held out)"
                throw SettingError(
                    "the demo scores every run on a test split, and this \(loaded.info.name) data has none\(folds)")
            }
            var data = ExperimentData(
                info: loaded.info, train: loaded.train, validation: loaded.validation, test: test,
                description: loaded.description, orderPairs: loaded.info.orderPairs)
            data.metadata[StoredData.metadataKey] = StoredData.json(settings.data)
            events(
                .seedLoaded(
                    seed: seed, train: loaded.train.count, validation: loaded.validation?.count ?? 0, test: test.count))
            for (k, entry) in entries.enumerated() {
                var runValues = values
                runValues[ModelSettings.variant] = entry.variant
                runValues[ModelSettings.distill] = entry.distill
                runValues[TrainingSettings.seed] = given[TrainingSettings.seed] &+ seed
                let run = try RunSettings(given: runValues)
                let spec = RunSpec(
                    name: entry.name, config: try run.modelConfig(for: loaded.info), options: run.training)
                let label = "[\(k + 1)/\(entries.count)\(seeds.count > 1 ? " seed \(seed)" : "")] \(entry.name)"
                let result = try Experiment.run(
                    spec, data: data, output: output, observer: observer(label, Objective.termNames(spec.config)))
                events(.runFinished(label: label, result: result))
                results.append(result)
                // The local attention of every run that has local graphs, so that the report shows
                // what each objective does to it.
                if seed == seeds[0], entry.variant == .glidn || entry.variant == .local {
                    let (trained, _) = try ModelCheckpoint.load(result.checkpoint)
                    let clips = try (0..<min(4, test.count)).map { try test.clip(at: $0) }
                    attention.removeAll { $0.run == entry.name }
                    attention.append(
                        (entry.name, try AttentionExample.collect(model: trained, clips: clips, info: loaded.info)))
                }
            }
        }
        guard let info else { throw SettingError("--seeds needs at least one seed") }
        return Outcome(results: results, attention: attention, info: info)
    }
}

/// The comparison table the demo prints: one row per run name, mean ± standard deviation over
/// seeds when there are several.
public enum ComparisonTable {
    public static func render(_ results: [RunResult], task: TaskKind) -> String {
        let groups = Experiment.summarize(results)
        // The scores of each label group: mAP and WAP of a multi-label group, the mean F1 and
        // each single-label group's F1.
        let multi = task.groups.contains { $0.multiLabel }
        let single = task.groups.filter { !$0.multiLabel }.map { "\($0.metricName)_f1" }
        let keys =
            (multi ? ["mAP", "WAP", "order_accuracy"] : []) + (single.isEmpty ? [] : ["mean_f1"] + single) + [
                "attention_accuracy"
            ]
        let present = keys.filter { k in groups.contains { $0.metrics[k] != nil } }
        let several = groups.contains { $0.runs > 1 }
        let widths = present.map { max($0.count + 2, several ? 17 : 9) }
        let labels = groups.map { "\($0.name)\(several ? " (\($0.runs))" : "")" }
        let nameWidth = (labels.map(\.count).max() ?? 3) + 2
        var lines = [
            "run".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + zip(present, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
        ]
        for (g, label) in zip(groups, labels) {
            var line = label.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            for (k, width) in zip(present, widths) {
                let cell =
                    g.metrics[k].map {
                        several ? String(format: "%.2f ± %.2f", $0.mean, $0.std) : String(format: "%.2f", $0.mean)
                    } ?? "–"
                line += cell.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
