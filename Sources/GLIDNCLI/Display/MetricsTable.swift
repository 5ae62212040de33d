import Foundation
import GLIDN
import HOIData

/// Renders evaluation results as text tables.
enum MetricsTable {
    static func summary(_ e: Evaluation) -> String {
        e.metrics.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.2f", $0.value) }.joined(separator: "  ")
    }

    /// Per-class AP (video) or per-class F1 (entity), with names.
    static func perClass(_ e: Evaluation, info: DatasetInfo) -> String {
        var lines: [String] = []
        func name(_ names: [String], _ i: Int) -> String { i < names.count ? names[i] : "class \(i)" }
        if let ap = e.averagePrecision {
            lines.append("class                          AP")
            for (i, v) in ap.perClass.enumerated() {
                let shown = v.map { String(format: "%6.2f", 100 * $0) } ?? "     –"
                lines.append(name(info.classNames, i).padding(toLength: 28, withPad: " ", startingAt: 0) + " " + shown)
            }
            if ap.classesWithoutPositives > 0 {
                lines.append("(\(ap.classesWithoutPositives) classes without positives are left out of the mean)")
            }
        }
        for (title, scores, names) in [("sub-activity", e.subactivity, info.subactivityNames), ("affordance", e.affordance, info.affordanceNames)] {
            guard let scores else { continue }
            lines.append("\(title.padding(toLength: 28, withPad: " ", startingAt: 0))     F1  support")
            for (i, f1) in scores.perClassF1.enumerated() {
                let support = scores.confusion[i].reduce(0, +)
                lines.append(name(names, i).padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %6.2f  %7d", 100 * f1, support))
            }
        }
        return lines.joined(separator: "\n")
    }
}
