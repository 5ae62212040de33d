import ArgumentParser
import Foundation
import GLIDN
import NN

/// `glidn report RUN_DIR…`: the demo's HTML report for any training runs (`RunReport`).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "An HTML report (curves, per-class scores, confusion matrices, attention) of training runs.")

    @Argument(help: "Run folders written by `glidn train` (or by the demo).", completion: .directory)
    var runs: [String]

    @Option(help: "Which clips to score: train, validation, test or all (default: test, else validation, else all).")
    var split: SplitChoice?

    @Option(help: "The report file (written atomically).")
    var output = "report.html"

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run folder") }
    }

    func run() throws {
        try OutputCheck.file(output, option: "--output", inputs: runs.map { $0 + "/" + TrainingRun.bestFile })
        var report = RunReport()
        for folder in runs {
            let (name, splitName, evaluation) = try report.add(folder: URL(fileURLWithPath: folder), split: split)
            print("\(name): \(splitName) \(MetricsTable.summary(evaluation))")
        }
        let title = "GLIDN report: " + runs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
        guard let html = report.html(title: title, command: (["glidn", "report"] + runs).joined(separator: " ")) else {
            return
        }
        try AtomicFile.write(html, to: URL(fileURLWithPath: output))
        print("report \(output)")
    }
}
