import Foundation

/// Small inline SVG charts for self-contained reports (no scripts, no network).
public enum SVGChart {
    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
    ]

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public static func number(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Round tick values within [low, high]: steps of 1, 2 or 5 times a power of ten, about
    /// five of them (whole numbers only, if asked).
    public static func niceTicks(_ low: Double, _ high: Double, target: Int = 5, integers: Bool = false) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(target)
        let power = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        if integers { step = max(1, step.rounded(.up)) }
        let first = (low / step).rounded(.up) * step
        return stride(from: first, through: high + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A tick's label: no trailing digits a round number does not have.
    public static func tickLabel(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    /// Lines through (x, y) points, one per series, with axes and a legend.
    static func lines(
        title: String, xLabel: String, yLabel: String, series: [(name: String, points: [(Double, Double)])],
        width: Double = 560, height: Double = 300
    ) -> String {
        let all = series.flatMap(\.points).filter { $0.1.isFinite }
        guard !all.isEmpty else { return "<p>(no data for \(escape(title)))</p>" }
        let (x0, x1) = (all.map(\.0).min()!, max(all.map(\.0).max()!, all.map(\.0).min()! + 1))
        var (y0, y1) = (all.map(\.1).min()!, all.map(\.1).max()!)
        if y1 - y0 < 1e-9 { y1 = y0 + 1 }
        let pad = (y1 - y0) * 0.05
        (y0, y1) = (y0 - pad, y1 + pad)
        let (left, right, top, bottom) = (56.0, width - 150, 28.0, height - 40)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - y0) / (y1 - y0) * (bottom - top) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"\(number(left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        svg +=
            "<line x1=\"\(number(left))\" y1=\"\(number(bottom))\" x2=\"\(number(right))\" y2=\"\(number(bottom))\" stroke=\"#333\"/>"
        svg +=
            "<line x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(bottom))\" stroke=\"#333\"/>"
        for y in niceTicks(y0, y1) {
            svg +=
                "<text x=\"\(number(left - 4))\" y=\"\(number(py(y) + 4))\" text-anchor=\"end\">\(tickLabel(y))</text>"
            svg +=
                "<line x1=\"\(number(left))\" y1=\"\(number(py(y)))\" x2=\"\(number(right))\" y2=\"\(number(py(y)))\" stroke=\"#eee\"/>"
        }
        // The x axis counts epochs: whole numbers only.
        for x in niceTicks(x0, x1, integers: true) {
            svg +=
                "<text x=\"\(number(px(x)))\" y=\"\(number(bottom + 14))\" text-anchor=\"middle\">\(tickLabel(x))</text>"
        }
        svg +=
            "<text x=\"\(number((left + right) / 2))\" y=\"\(number(height - 6))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg +=
            "<text transform=\"translate(12,\(number((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.1.isFinite }.map { "\(number(px($0.0))),\(number(py($0.1)))" }.joined(
                separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color(i))\" stroke-width=\"2\" points=\"\(points)\"/>"
            let ly = top + 14 * Double(i)
            svg +=
                "<line x1=\"\(number(right + 10))\" y1=\"\(number(ly))\" x2=\"\(number(right + 28))\" y2=\"\(number(ly))\" stroke=\"\(color(i))\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(number(right + 32))\" y=\"\(number(ly + 4))\">\(escape(s.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars: one group per category, one bar per series (values in 0…100).
    static func groupedBars(
        title: String, categories: [String], series: [(name: String, values: [Double?])], width: Double = 760
    ) -> String {
        let barHeight = 7.0
        let groupHeight = barHeight * Double(series.count) + 8
        let (left, top) = (190.0, 40.0)
        let right = width - 20
        let height = top + groupHeight * Double(categories.count) + 10
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"10\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        for (i, s) in series.enumerated() {
            let x = left + Double(i) * 120
            svg +=
                "<rect x=\"\(number(x))\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(color(i))\"/><text x=\"\(number(x + 14))\" y=\"33\">\(escape(s.name))</text>"
        }
        for k in 0...4 {
            let x = left + (right - left) * Double(k) / 4
            svg +=
                "<line x1=\"\(number(x))\" y1=\"\(number(top))\" x2=\"\(number(x))\" y2=\"\(number(height - 10))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(number(x))\" y=\"\(number(height))\" text-anchor=\"middle\">\(25 * k)</text>"
        }
        for (c, name) in categories.enumerated() {
            let y = top + Double(c) * groupHeight
            svg +=
                "<text x=\"\(number(left - 6))\" y=\"\(number(y + groupHeight / 2 + 2))\" text-anchor=\"end\">\(escape(name))</text>"
            for (i, s) in series.enumerated() {
                guard c < s.values.count, let v = s.values[c] else { continue }
                let w = max(0, min(v, 100)) / 100 * (right - left)
                svg +=
                    "<rect x=\"\(number(left))\" y=\"\(number(y + Double(i) * barHeight))\" width=\"\(number(w))\" height=\"\(number(barHeight - 1))\" fill=\"\(color(i))\"><title>\(escape(s.name)): \(String(format: "%.1f", v))</title></rect>"
            }
        }
        return svg + "</svg>"
    }
}
