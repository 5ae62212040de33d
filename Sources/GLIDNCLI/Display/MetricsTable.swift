import Foundation
import GLIDN
import HOIData

/// Renders evaluation results as text tables.
enum MetricsTable {
    static func summary(_ e: Evaluation) -> String {
        e.metrics.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.2f", $0.value) }.joined(
            separator: "  ")
    }

    /// Per label group, each class's AP (multi-label) or F1 and support (single-label), by name.
    static func perClass(_ e: Evaluation, info: DatasetInfo) -> String {
        var lines: [String] = []
        func name(_ names: [String], _ i: Int) -> String { i < names.count ? names[i] : "class \(i)" }
        for group in info.task.groups {
            let names = info.names(group)
            let title = (info.task.groups.count == 1 ? "class" : group.title).padding(
                toLength: 28, withPad: " ", startingAt: 0)
            if let ap = e.group(group.name)?.averagePrecision {
                lines.append("\(title)     AP")
                for (i, v) in ap.perClass.enumerated() {
                    let shown = v.map { String(format: "%6.2f", 100 * $0) } ?? "     –"
                    lines.append(name(names, i).padding(toLength: 28, withPad: " ", startingAt: 0) + " " + shown)
                }
                if ap.classesWithoutPositives > 0 {
                    lines.append("(\(ap.classesWithoutPositives) classes without positives are left out of the mean)")
                }
            }
            if let scores = e.group(group.name)?.classification {
                lines.append("\(title)     F1  support")
                for (i, f1) in scores.perClassF1.enumerated() {
                    let support = scores.confusion[i].reduce(0, +)
                    lines.append(
                        name(names, i).padding(toLength: 28, withPad: " ", startingAt: 0)
                            + String(format: " %6.2f  %7d", 100 * f1, support))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
