import ArgumentParser
import Foundation
import GLIDN

/// `glidn verify-reference FILE...`: checks the model against reference fixtures.
struct VerifyReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-reference",
        abstract:
            "Compare outputs, losses and gradients with reference files (safetensors, see Tests/GLIDNTests/Fixtures/reference/README.md)."
    )

    @Argument(help: "Reference files to check.", completion: .file(extensions: ["safetensors"]))
    var files: [String]

    @Flag(help: "Print every tensor, not only the failures and a summary.")
    var verbose = false

    func run() throws {
        var failed = 0
        for path in files {
            let reference = try ReferenceCase.load(URL(fileURLWithPath: path))
            let results = try ReferenceCheck.run(reference)
            let bad = results.filter { !$0.passed }
            print(
                "\(path): \(reference.config.task.rawValue) task, \(reference.config.variant.rawValue), distill \(reference.config.distill), \(results.count) tensors"
            )
            for r in results where verbose || !r.passed {
                let status = r.passed ? "ok  " : "FAIL"
                let detail =
                    r.problem
                    ?? String(
                        format: "worst error %.3e (%.2f of tolerance) over %d values", r.worstError, r.worstRatio,
                        r.compared)
                print("  \(status) \(r.name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(detail)")
            }
            if let worst = results.max(by: { $0.worstRatio < $1.worstRatio }) {
                print(
                    "  \(bad.isEmpty ? "PASS" : "FAIL"): \(results.count - bad.count)/\(results.count) within |Δ| ≤ \(ReferenceCheck.absoluteTolerance) + \(ReferenceCheck.relativeTolerance)·|ref|; tightest \(worst.name) at \(String(format: "%.2f", worst.worstRatio)) of tolerance"
                )
            }
            failed += bad.count
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
