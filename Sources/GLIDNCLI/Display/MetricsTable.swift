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
            // Names are shown whole (Charades' run to 60 characters), in a column as wide as the longest.
            let width = max(28, (names.map(\.count).max() ?? 0) + 1)
            func padded(_ text: String) -> String {
                text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
            }
            let title = padded(info.task.groups.count == 1 ? "class" : group.title)
            if let ap = e.group(group.name)?.averagePrecision {
                lines.append("\(title)     AP")
                for (i, v) in ap.perClass.enumerated() {
                    let shown = v.map { String(format: "%6.2f", 100 * $0) } ?? "     –"
                    lines.append(padded(name(names, i)) + " " + shown)
                }
                if ap.classesWithoutPositives > 0 {
                    lines.append("(– : \(ap.classesWithoutPositives) classes without positives, left out of the mean)")
                }
            }
            if let scores = e.group(group.name)?.classification {
                lines.append("\(title)     F1  support")
                var unsupported = 0
                for (i, f1) in scores.perClassF1.enumerated() {
                    let support = scores.confusion[i].reduce(0, +)
                    if support == 0 { unsupported += 1 }
                    let shown = support == 0 ? "     –" : String(format: "%6.2f", 100 * f1)
                    lines.append(padded(name(names, i)) + " \(shown)  " + String(format: "%7d", support))
                }
                if unsupported > 0 {
                    lines.append(
                        "(– : \(unsupported) classes without support in these clips; the macro F1 counts them as 0, as scikit-learn's over the full label list)"
                    )
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
