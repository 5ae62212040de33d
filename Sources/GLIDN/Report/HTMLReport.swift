import Foundation
import HOIData

/// A self-contained HTML report of an experiment: the comparison table, loss curves,
/// per-class scores per run, and the local attention of a few clips drawn over their
/// boxes. Inline SVG and CSS only: it opens offline.
public struct HTMLReport {
    public let title: String
    public let command: String
    public let info: DatasetInfo
    public let results: [RunResult]
    public let attention: [(run: String, examples: [AttentionExample])]
    /// The split the results score ("test", "validation", …), named in the headings.
    public let split: String

    public init(
        title: String, command: String, info: DatasetInfo, results: [RunResult],
        attention: [(run: String, examples: [AttentionExample])], split: String = "test"
    ) {
        self.split = split
        self.title = title
        self.command = command
        self.info = info
        self.results = results
        self.attention = attention
    }

    public func render() -> String {
        let e = SVGChart.escape
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}table{border-collapse:collapse;margin:12px 0}
            td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
            code{background:#f4f4f4;padding:2px 4px}figure{display:inline-block;margin:8px;vertical-align:top}figcaption{font-size:12px;max-width:320px}</style>
            </head><body><h1>\(e(title))</h1><p>Produced by <code>\(e(command))</code> on \(e(info.name)) data (\(e(info.taskTitle)) task; scores of the \(e(split)) split).</p>
            """
        html += "<h2>Held-out results (\(e(split)) split)</h2>" + table()
        html += "<h2>Training</h2>"
        html += SVGChart.lines(
            title: "training loss (total, mean per epoch)", xLabel: "epoch", yLabel: "loss",
            series: results.map { r in (r.spec.name, r.history.map { (Double($0.epoch), $0.train["total"] ?? .nan) }) })
        let headline = Evaluation.headlineName(info.task)
        html += SVGChart.lines(
            title: "validation \(headline)", xLabel: "epoch", yLabel: headline,
            series: results.map { r in
                (r.spec.name, r.history.map { (Double($0.epoch), $0.validation[headline] ?? .nan) })
            })
        html += perClass()
        html += confusions()
        if !attention.isEmpty {
            html +=
                "<h2>Local attention</h2><p>The actor (blue) and the other entities of one frame; the thickness of each line is the actor's attention to that entity (last local layer, mean over heads). The object the actor truly interacts with is outlined in a dashed line.</p>"
            for (run, examples) in attention {
                html += "<h3>\(e(run))</h3>"
                for ex in examples {
                    html +=
                        "<figure>\(Self.drawing(ex))<figcaption>\(e(ex.clipID)), frame \(ex.frame): \(e(ex.labels.joined(separator: "; ")))</figcaption></figure>"
                }
            }
        }
        return html + "</body></html>\n"
    }

    func table() -> String {
        let keys = Array(Set(results.flatMap { $0.test.metrics.keys })).sorted()
        var rows =
            "<table><tr><th>run</th><th>parameters</th><th>best epoch</th><th>train s</th>"
            + keys.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>"
        for r in results {
            rows +=
                "<tr><td>\(SVGChart.escape(r.spec.name))</td><td>\(r.parameters)</td><td>\(r.bestEpoch)</td><td>\(String(format: "%.0f", r.trainingSeconds))</td>"
            rows +=
                keys.map { k in "<td>\(r.test.metrics[k].map { String(format: "%.2f", $0) } ?? "–")</td>" }.joined()
                + "</tr>"
        }
        return rows + "</table>"
    }

    /// Per label group, each run's AP (multi-label) or F1 (single-label) per class.
    func perClass() -> String {
        info.task.groups.map { group in
            let metric = group.multiLabel ? "AP" : "F1"
            let title =
                info.task.groups.count == 1
                ? "\(split) \(metric) per class" : "\(split) \(group.title) \(metric) per class"
            return SVGChart.groupedBars(
                title: title, categories: info.names(group),
                series: results.map { r in
                    let scores = r.test.group(group.name)
                    let values: [Double?] =
                        group.multiLabel
                        ? (scores?.averagePrecision?.perClass ?? []).map { $0.map { 100 * $0 } }
                        : (scores?.classification?.perClassF1 ?? []).map { 100 * $0 }
                    return (r.spec.name, values)
                })
        }.joined()
    }

    /// The confusion matrix of each run's predictions of each single-label group: rows are the
    /// true classes, columns the predicted ones, cells shaded by their share of the row.
    func confusions() -> String {
        let e = SVGChart.escape
        let single = info.task.groups.filter { !$0.multiLabel }
        guard !single.isEmpty else { return "" }
        var html =
            "<h2>Confusion matrices</h2><p>Rows: true class; columns: predicted class; shading: share of the row.</p>"
        for r in results {
            for (title, scores, names) in single.map({
                ($0.title, r.test.group($0.name)?.classification, info.names($0))
            }) {
                guard let scores, !scores.confusion.isEmpty else { continue }
                html += "<h3>\(e(r.spec.name)): \(title)</h3><table><tr><th>true \\ predicted</th>"
                html +=
                    scores.confusion.indices.map { "<th>\(e($0 < names.count ? names[$0] : String($0)))</th>" }.joined()
                    + "</tr>"
                for (i, row) in scores.confusion.enumerated() {
                    let total = max(row.reduce(0, +), 1)
                    html += "<tr><th>\(e(i < names.count ? names[i] : String(i)))</th>"
                    html +=
                        row.map { n in
                            let share = Double(n) / Double(total)
                            return
                                "<td style=\"background:rgba(31,119,180,\(String(format: "%.2f", share)))\">\(n)</td>"
                        }.joined() + "</tr>"
                }
                html += "</table>"
            }
        }
        return html
    }

    /// One frame drawn at 320 × 240: boxes, names, attention lines from the actor.
    static func drawing(_ ex: AttentionExample) -> String {
        let (w, h) = (320.0, 240.0)
        func p(_ v: Float, _ scale: Double) -> String { SVGChart.number(Double(v) * scale) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"10\"><rect width=\"\(Int(w))\" height=\"\(Int(h))\" fill=\"#fafafa\" stroke=\"#999\"/>"
        guard ex.visible.first == true else { return svg + "</svg>" }
        let a = ex.boxes[0]
        let (ax, ay) = (Double(a[0] + a[2]) / 2 * w, Double(a[1] + a[3]) / 2 * h)
        let strongest = ex.attention.dropFirst().max() ?? 1
        for j in 1..<ex.boxes.count where ex.visible[j] {
            let b = ex.boxes[j]
            let (bx, by) = (Double(b[0] + b[2]) / 2 * w, Double(b[1] + b[3]) / 2 * h)
            let weight = Double(ex.attention[j])
            svg +=
                "<line x1=\"\(SVGChart.number(ax))\" y1=\"\(SVGChart.number(ay))\" x2=\"\(SVGChart.number(bx))\" y2=\"\(SVGChart.number(by))\" stroke=\"#d62728\" stroke-opacity=\"\(String(format: "%.2f", 0.25 + 0.75 * weight / Double(max(strongest, 1e-6))))\" stroke-width=\"\(String(format: "%.1f", 1 + 10 * weight))\"><title>attention \(String(format: "%.3f", weight))</title></line>"
        }
        for (j, b) in ex.boxes.enumerated() where ex.visible[j] {
            let color = j == 0 ? "#1f77b4" : ex.isHuman[j] ? "#17becf" : "#555"
            let dash = j == ex.target ? " stroke-dasharray=\"4,2\" stroke-width=\"2.5\"" : ""
            svg +=
                "<rect x=\"\(p(b[0], w))\" y=\"\(p(b[1], h))\" width=\"\(p(b[2] - b[0], w))\" height=\"\(p(b[3] - b[1], h))\" fill=\"none\" stroke=\"\(color)\"\(dash)/>"
            svg +=
                "<text x=\"\(p(b[0], w))\" y=\"\(SVGChart.number(max(Double(b[1]) * h - 2, 9)))\" fill=\"\(color)\">\(SVGChart.escape(ex.categories[j]))\(j == 0 ? "" : String(format: " %.2f", ex.attention[j]))</text>"
        }
        return svg + "</svg>"
    }
}
