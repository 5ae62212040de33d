import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn train --fold all` (or `--fold 1,3`): leave-one-subject-out in one command
/// (`CrossValidation`), one run per fold in OUTPUT/fold-K, then the table of every metric's
/// mean ± sample standard deviation over the folds, also written to OUTPUT/cross-validation.json.
extension TrainCommand {
    /// `--fold all` or a list, taken out of the settings' words (a single number stays: one run).
    var foldSpec: (spec: String?, settings: SettingArguments) {
        var words = settings.words
        var spec: String?
        if let i = words.firstIndex(of: "--fold"), i + 1 < words.count, Int(words[i + 1]) == nil {
            spec = words[i + 1]
            words.removeSubrange(i...(i + 1))
        } else if let i = words.firstIndex(where: { $0.hasPrefix("--fold=") }), Int(words[i].dropFirst(7)) == nil {
            spec = String(words[i].dropFirst(7))
            words.remove(at: i)
        }
        var rest = settings
        rest.words = words
        return (spec, rest)
    }

    func runFolds(_ spec: String) throws {
        if resume {
            throw ValidationError("--fold \(spec) trains every fold afresh: --resume continues one run's folder")
        }
        let interruption = Interruption(what: "finishing the step in progress, then saving the fold's run to resume")
        let settings = try RunSettings(given: try given())
        let root = output.map { URL(fileURLWithPath: $0) } ?? TrainingPlan.defaultFolder(settings)
        let available = try settings.data.load().folds
        let folds = try CrossValidation.folds(spec, available: available)
        print("cross-validation over folds \(folds.map(String.init).joined(separator: ", ")) into \(root.path)")
        let validation = CrossValidation(settings: settings, folds: folds, output: root)
        let results: [CrossValidation.FoldResult]
        do {
            results = try validation.run(
                observer: { fold in ProgressDisplay(label: "fold \(fold)") },
                teacherObserver: { fold in ProgressDisplay(label: "fold \(fold) teacher") },
                started: { fold, plan in
                    print("fold \(fold): training on \(plan.data.train.count) clips; output \(plan.folder.path)")
                },
                shouldStop: { interruption.requested })
        } catch let stopped as TrainingRun.Interrupted {
            print("\(stopped.description); the folds before it are complete")
            throw ExitCode(interruption.exitCode)
        }
        for r in results {
            print(
                "fold \(r.fold): \(r.clips) test clips  "
                    + r.metrics.sorted { $0.key < $1.key }.map {
                        "\($0.key) " + String(format: "%.2f", $0.value)
                    }.joined(separator: "  "))
        }
        let summary = CrossValidation.summary(results)
        print("\nmean ± sample standard deviation over \(results.count) folds:")
        for row in summary {
            print(
                row.metric.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "%7.2f ± %.2f", row.mean, row.std))
        }
        let object: [String: Any] = [
            "folds": results.map {
                ["fold": $0.fold, "clips": $0.clips, "checkpoint": $0.checkpoint.path, "metrics": $0.metrics]
            },
            "mean": Dictionary(uniqueKeysWithValues: summary.map { ($0.metric, $0.mean) }),
            "std": Dictionary(uniqueKeysWithValues: summary.map { ($0.metric, $0.std) }),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(
            String(decoding: data, as: UTF8.self) + "\n", to: root.appendingPathComponent("cross-validation.json"))
    }
}
