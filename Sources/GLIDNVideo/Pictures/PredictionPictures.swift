import Foundation
import GLIDN
import HOIData
import NN

/// Pictures of a video prediction: the video annotated (each track's box with its id and
/// class, each person's strongest local attention drawn as a line to the entity it attends,
/// the window's top labels in a band at the top), and a self-contained HTML page with the
/// labels over time as a timeline and a key frame of each window.
public struct PredictionPictures {
    public let prediction: VideoPrediction
    public let top: Int

    public init(_ prediction: VideoPrediction, top: Int = 3) { (self.prediction, self.top) = (prediction, top) }

    /// The window whose span holds sampled frame `frame` (the latest that starts before it).
    func window(of frame: Int) -> VideoPrediction.Window? {
        prediction.windows.last { $0.frames.contains(frame) }
            ?? prediction.windows.last { $0.frames.lowerBound <= frame }
    }

    /// The labels shown for a window: the top classes of its first group of clip rows.
    func labels(_ w: VideoPrediction.Window) -> [(name: String, score: Float)] {
        guard let group = prediction.info.task.groups.first(where: { $0.rows == .clip }) else { return [] }
        return VideoPrediction.best(w.clipScores[group.name] ?? [], names: prediction.info.names(group), top: top).map {
            ($0.name, $0.score)
        }
    }

    /// Draws sampled frame `frame`'s annotations on `image`.
    public func annotate(_ image: inout RGBImage, frame: Int) {
        let tracks = TrackPictures(prediction.video)
        let boxes = tracks.boxes(frame: frame)
        let w = window(of: frame)
        for link in w?.attention[frame] ?? [] {
            guard let a = boxes[link.from], let b = boxes[link.to] else { continue }
            image.line(
                from: a.centre, to: b.centre, colour: 0xFF2020, thickness: max(1, Int((1 + 6 * link.weight).rounded())))
        }
        tracks.draw(&image, frame: frame)
        if let w {
            for (k, l) in labels(w).enumerated() {
                image.label(
                    String(format: "%@ %.2f", l.name, l.score), x: 4, y: 4 + 16 * k, scale: 0.4, colour: 0xFFFFFF,
                    background: 0x202020)
            }
        }
    }

    /// Decodes `source` again at the extraction's rate and writes it annotated to `url` (MP4).
    public func writeVideo(from source: URL, fps: Double, to url: URL) throws {
        try TrackPictures(prediction.video).writeVideo(from: source, fps: fps, to: url) { annotate(&$0, frame: $1) }
    }

    /// The HTML page: the timeline of labels and one annotated key frame per window (its middle
    /// frame), everything inline.
    public func page(from source: URL, fps: Double) throws -> String {
        let keys = Set(prediction.windows.map { $0.frames.lowerBound + $0.frames.count / 2 })
        var frames: [Int: String] = [:]
        let reader = try VideoReader(source, samplesPerSecond: fps)
        var index = 0
        while let (image, _) = try reader.next() {
            if keys.contains(index) {
                var picture = image
                annotate(&picture, frame: index)
                frames[index] = Data(try picture.jpeg(quality: 80)).base64EncodedString()
            }
            index += 1
        }
        let e = SVGChart.escape
        let video = prediction.video
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(e(video.id)): predictions</title>
            <style>body{font-family:sans-serif;margin:24px;max-width:1200px;color:#222}figure{display:inline-block;margin:6px;vertical-align:top}
            figcaption{font-size:12px;max-width:\(min(video.info.width, 480))px}img{width:\(min(video.info.width, 480))px}</style></head><body>
            <h1>\(e(video.id))</h1><p>\(video.times.count) sampled frames (\(video.info.width) × \(video.info.height), \(e(video.info.codec))),
            \(video.tracks.count) tracks, \(prediction.windows.count) windows. Boxes: each track with its id and class; red lines: each
            person's strongest local attention (thicker: stronger).</p>
            """
        html += "<h2>Labels over time</h2>" + timeline()
        html += "<h2>Key frames</h2>"
        for w in prediction.windows {
            let key = w.frames.lowerBound + w.frames.count / 2
            guard let jpeg = frames[key] else { continue }
            let caption =
                String(format: "%.1f–%.1f s: ", w.start, w.end)
                + labels(w).map { String(format: "%@ %.2f", $0.name, $0.score) }.joined(separator: ", ")
            html +=
                "<figure><img alt=\"frame \(key)\" src=\"data:image/jpeg;base64,\(jpeg)\"><figcaption>\(e(caption))</figcaption></figure>"
        }
        return html + "</body></html>\n"
    }

    /// The classes that reach the top of any window, one row each; a window's cell shaded by the
    /// class's score (SVG).
    func timeline() -> String {
        guard let group = prediction.info.task.groups.first(where: { $0.rows == .clip }), !prediction.windows.isEmpty
        else { return "" }
        let names = prediction.info.names(group)
        var shown: [Int] = []
        for w in prediction.windows {
            for c in VideoPrediction.best(w.clipScores[group.name] ?? [], names: names, top: top)
            where !shown.contains(c.index) { shown.append(c.index) }
        }
        let end = prediction.windows.map(\.end).max() ?? 1
        let (left, width, row) = (220.0, 760.0, 18.0)
        let height = Double(shown.count) * row + 30
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + width + 10))\" height=\"\(Int(height))\" font-size=\"11\" font-family=\"sans-serif\">"
        for (r, c) in shown.enumerated() {
            let y = Double(r) * row
            svg +=
                "<text x=\"\(Int(left - 6))\" y=\"\(SVGChart.number(y + 13))\" text-anchor=\"end\">\(SVGChart.escape(c < names.count ? names[c] : "class \(c)"))</text>"
            for w in prediction.windows {
                let score = Double(w.clipScores[group.name]?[c] ?? 0)
                let x = left + w.start / end * width
                let cellWidth = max((w.end - w.start) / end * width, 1)
                svg +=
                    "<rect x=\"\(SVGChart.number(x))\" y=\"\(SVGChart.number(y + 2))\" width=\"\(SVGChart.number(cellWidth))\" height=\"\(Int(row - 4))\" fill=\"#d62728\" fill-opacity=\"\(String(format: "%.2f", score))\"><title>\(String(format: "%.1f–%.1f s: %.3f", w.start, w.end, score))</title></rect>"
            }
        }
        let axisY = Double(shown.count) * row + 14
        for k in 0...4 {
            let t = end * Double(k) / 4
            svg +=
                "<text x=\"\(SVGChart.number(left + width * Double(k) / 4))\" y=\"\(SVGChart.number(axisY))\" text-anchor=\"middle\">\(String(format: "%.1f s", t))</text>"
        }
        return svg + "</svg>"
    }
}
