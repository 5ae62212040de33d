import Foundation
import GLIDN

/// Shows training progress: a bar redrawn in place on a terminal; off a terminal (logs, CI),
/// one line per epoch, with a progress line only when an epoch has run a minute since the
/// last line. Writes to standard error so that standard output stays machine-readable.
final class ProgressDisplay: TrainingObserver {
    let label: String
    /// The loss terms of the objective, in order (total last): the epoch line shows each.
    let terms: [String]
    let interactive = isatty(STDERR_FILENO) != 0
    var lastDraw = Date.distantPast
    /// Off a terminal: when the last line was written.
    var lastPlainLine = Date()
    static let plainInterval: TimeInterval = 60

    init(label: String, terms: [String] = ["total"]) {
        self.label = label
        self.terms = terms
    }

    func stepFinished(_ p: StepProgress) {
        // The rate from the time the epoch's steps really took (measured by the trainer).
        let rate = Double(p.stepInEpoch) / max(p.elapsed, 1e-3)
        let remaining =
            Double(p.stepsPerEpoch - p.stepInEpoch + (p.epochs - p.epoch) * p.stepsPerEpoch) / max(rate, 1e-9)
        let recentLoss = p.meanLoss
        if interactive {
            guard Date().timeIntervalSince(lastDraw) > 0.1 || p.stepInEpoch == p.stepsPerEpoch else { return }
            lastDraw = Date()
            let width = 24
            let filled = width * p.stepInEpoch / max(p.stepsPerEpoch, 1)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line =
                "\(label) epoch \(p.epoch)/\(p.epochs) \(bar) \(p.stepInEpoch)/\(p.stepsPerEpoch)  "
                + String(format: "%.1f steps/s  epoch's train loss %.4f  ETA ", rate, recentLoss)
                + Self.clock(remaining)
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else if p.stepInEpoch < p.stepsPerEpoch && Date().timeIntervalSince(lastPlainLine) >= Self.plainInterval {
            lastPlainLine = Date()
            let line =
                "\(label) epoch \(p.epoch)/\(p.epochs) step \(p.stepInEpoch)/\(p.stepsPerEpoch)  "
                + String(format: "%.1f steps/s  epoch's train loss %.4f  ETA ", rate, recentLoss)
                + Self.clock(remaining) + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func epochFinished(_ record: EpochRecord, isBest: Bool) {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        // Scores are percentages (0–100); losses are the losses.
        let validation = record.validation.sorted { $0.key < $1.key }.map {
            "\($0.key) " + String(format: $0.key == "loss" ? "%.4f" : "%.2f", $0.value)
        }
        let parts = terms.filter { $0 != "total" }.map { "\($0) " + String(format: "%.4f", record.train[$0] ?? .nan) }
        let line =
            "\(label) epoch \(record.epoch)  train loss " + String(format: "%.4f", record.train["total"] ?? .nan)
            + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
            + (validation.isEmpty ? "  no validation data" : "  validation: " + validation.joined(separator: ", "))
            + String(format: "  (%.1fs)", record.seconds) + (isBest ? "  *best*" : "") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        lastPlainLine = Date()
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
