import Foundation
import HOIData

/// A video prediction as text, one JSON document, or CSV rows.
public enum PredictionOutput {
    public enum Format: String, CaseIterable, Sendable { case text, json, csv }

    public static func render(_ predictions: [VideoPrediction], format: Format, top: Int) -> String {
        switch format {
        case .text: return predictions.map { text($0, top: top) }.joined()
        case .json: return json(predictions, top: top)
        case .csv: return csv(predictions, top: top)
        }
    }

    static func className(_ p: VideoPrediction, _ track: ExtractedTrack) -> String {
        track.classIndex < p.video.classNames.count ? p.video.classNames[track.classIndex] : "class \(track.classIndex)"
    }

    static func text(_ p: VideoPrediction, top: Int) -> String {
        var out =
            "\(p.video.id): \(p.video.times.count) frames, \(p.video.tracks.count) tracks, \(p.windows.count) windows\n"
        let groups = p.info.task.groups
        for w in p.windows {
            let span = String(format: "%6.1f–%.1f s", w.start, w.end)
            for group in groups where group.rows == .clip {
                let shown = VideoPrediction.best(w.clipScores[group.name] ?? [], names: p.info.names(group), top: top)
                out +=
                    "  \(span): "
                    + shown.map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(separator: ", ") + "\n"
            }
            for track in p.video.tracks {
                guard let scores = w.trackScores[track.id] else { continue }
                for group in groups
                where group.rows == .node && (group.carriers == .all || (group.carriers == .humans) == track.isHuman) {
                    let shown = VideoPrediction.best(scores[group.name] ?? [], names: p.info.names(group), top: top)
                    out +=
                        "  \(span) track \(track.id) (\(className(p, track))): "
                        + shown.map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(separator: ", ") + "\n"
                }
            }
        }
        return out
    }

    static func json(_ predictions: [VideoPrediction], top: Int) -> String {
        let videos: [[String: Any]] = predictions.map { p in
            let groups = p.info.task.groups
            let windows: [[String: Any]] = p.windows.map { w in
                var entry: [String: Any] = [
                    "start": w.start, "end": w.end, "first_frame": w.frames.lowerBound, "frames": w.frames.count,
                ]
                for group in groups where group.rows == .clip {
                    entry[group.name] = VideoPrediction.best(
                        w.clipScores[group.name] ?? [], names: p.info.names(group), top: top
                    ).map {
                        ["class": $0.name, "index": $0.index, "score": Double($0.score)]
                    }
                }
                let tracks: [[String: Any]] = p.video.tracks.compactMap { track in
                    guard let scores = w.trackScores[track.id] else { return nil }
                    var t: [String: Any] = ["track": track.id, "class": className(p, track), "human": track.isHuman]
                    for group in groups where group.rows == .node {
                        t[group.name] = VideoPrediction.best(
                            scores[group.name] ?? [], names: p.info.names(group), top: top
                        ).map {
                            ["label": $0.name, "index": $0.index, "score": Double($0.score)]
                        }
                    }
                    return t
                }
                if !tracks.isEmpty { entry["tracks"] = tracks }
                return entry
            }
            return [
                "video": p.video.id, "frames": p.video.times.count, "tracks": p.video.tracks.count, "windows": windows,
            ]
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: ["videos": videos], options: [.sortedKeys, .prettyPrinted]))
            ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func csv(_ predictions: [VideoPrediction], top: Int) -> String {
        var lines = ["video,start,end,group,track,rank,class,score"]
        func quoted(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        for p in predictions {
            for w in p.windows {
                let span = String(format: "%.3f,%.3f", w.start, w.end)
                for group in p.info.task.groups where group.rows == .clip {
                    for (rank, c) in VideoPrediction.best(
                        w.clipScores[group.name] ?? [], names: p.info.names(group), top: top
                    ).enumerated() {
                        lines.append(
                            "\(quoted(p.video.id)),\(span),\(group.name),,\(rank + 1),\(quoted(c.name)),\(String(format: "%.6f", c.score))"
                        )
                    }
                }
                for track in p.video.tracks {
                    guard let scores = w.trackScores[track.id] else { continue }
                    for group in p.info.task.groups where group.rows == .node {
                        for (rank, c) in VideoPrediction.best(
                            scores[group.name] ?? [], names: p.info.names(group), top: top
                        ).enumerated() {
                            lines.append(
                                "\(quoted(p.video.id)),\(span),\(group.name),\(track.id),\(rank + 1),\(quoted(c.name)),\(String(format: "%.6f", c.score))"
                            )
                        }
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
