import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// `glidn evaluate-submission`: the official Charades classification metric on a submission file.
struct EvaluateSubmissionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-submission",
        abstract:
            "mAP and WAP of a Charades submission (one line per video: id and 157 scores), as Charades_v1_classify.m computes them."
    )

    @Option(help: "Charades annotation CSV (e.g. Charades_v1_test.csv).", completion: .file(extensions: ["csv"]))
    var annotations: String

    @Option(help: "Submission file: per line a video id and 157 scores.", completion: .file())
    var submission: String

    @Flag(help: "Also print the AP of every class.")
    var perClass = false

    @Flag(
        help:
            "Score only the annotated videos the submission covers (the others are counted and named), instead of refusing a partial submission."
    )
    var subset = false

    func run() throws {
        var videos = try CharadesAnnotations.read(contentsOf: URL(fileURLWithPath: annotations))
        let scores = try CharadesSubmission.read(contentsOf: URL(fileURLWithPath: submission))
        if subset {
            let covered = Set(scores.ids)
            let left = videos.filter { !$0.actions.isEmpty && !covered.contains($0.id) }
            videos = videos.filter { covered.contains($0.id) }
            if !left.isEmpty {
                print(
                    "--subset: \(left.count) of \(left.count + videos.filter { !$0.actions.isEmpty }.count) annotated videos with actions have no scores and are left out, e.g. "
                        + left.prefix(5).map(\.id).joined(separator: ", "))
            }
        }
        let result = try CharadesEvaluation.evaluate(annotations: videos, submission: scores, path: submission)
        // Percentages, as every other score the tool prints.
        print(String(format: "mAP %.2f  WAP %.2f", 100 * result.summary.mAP, 100 * result.summary.weightedAP))
        print(
            "\(result.videosEvaluated) videos evaluated; \(result.videosWithoutActions) annotated videos without actions left out; "
                + "\(result.summary.classesWithoutPositives) classes without a positive left out of the mean"
                + (result.extraVideos > 0
                    ? "; \(result.extraVideos) submitted videos not in the annotations ignored" : ""))
        if perClass {
            for (c, ap) in result.summary.perClass.enumerated() {
                print(
                    CharadesAnnotations.classNames[c].padding(toLength: 60, withPad: " ", startingAt: 0) + " "
                        + (ap.map { String(format: "%.2f", 100 * $0) } ?? "–"))
            }
        }
    }
}
