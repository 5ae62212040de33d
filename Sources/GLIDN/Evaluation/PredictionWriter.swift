import Foundation
import HOIData

/// Turns predictions into text in the chosen format.
public struct PredictionWriter {
    public enum Format: String, CaseIterable, Sendable {
        /// Readable lines.
        case text
        /// One JSON document: an array of one object per clip.
        case json
        /// JSON Lines: one JSON object per clip and line.
        case jsonl
        /// CSV with a header: one row per clip, group and rank (clip rows), or per entity, group
        /// and rank (node rows).
        case csv
        /// Charades_v1_classify.m's submission format: per line the clip id and every class score.
        case charades
    }

    public let info: DatasetInfo
    public let top: Int

    public init(info: DatasetInfo, top: Int) {
        (self.info, self.top) = (info, top)
    }

    public func render(_ p: Predictions, format: Format) -> String {
        let clipGroups = info.task.groups.filter { $0.rows == .clip }
        var out = ""
        for (i, id) in p.clipIDs.enumerated() {
            switch format {
            case .charades:
                out += id + " " + p.videoScores[i].map { String(format: "%.6g", $0) }.joined(separator: " ") + "\n"
            case .text:
                for group in clipGroups {
                    guard let scores = p.clipScores[group.name]?[i] else { continue }
                    let label = clipGroups.count == 1 ? "" : " \(group.title)"
                    out += id + "\(label): " + shown(scores, group) + "\n"
                }
                guard i < p.entities.count else { continue }
                out += id + "\n"
                for e in p.entities[i] {
                    for group in carried(by: e) {
                        let place = p.segmented ? "segment \(e.segment), entity \(e.index)" : "entity \(e.index)"
                        out +=
                            "  \(place) (\(e.isHuman ? "human" : "object")): "
                            + shown(e.scores[group.name] ?? [], group) + "\n"
                    }
                }
            case .jsonl:
                out += Self.json(object(p, clip: i)) + "\n"
            case .json:
                out += (i == 0 ? "[\n" : ",\n") + Self.json(object(p, clip: i))
            case .csv:
                if i == 0 { out += "clip,segment,entity,kind,group,rank,label,index,score\n" }
                out += csvRows(p, clip: i)
            }
        }
        if format == .json { out += p.clipIDs.isEmpty ? "[]\n" : "\n]\n" }
        return out
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Clip `i` as a JSON object: its top classes per clip group, its entities' top labels.
    func object(_ p: Predictions, clip i: Int) -> [String: Any] {
        let clipGroups = info.task.groups.filter { $0.rows == .clip }
        var object: [String: Any] = ["clip": p.clipIDs[i]]
        for group in clipGroups {
            guard let scores = p.clipScores[group.name]?[i] else { continue }
            object[clipGroups.count == 1 ? "top" : group.name] = best(scores, names: info.names(group)).map {
                ["class": $0.name, "index": $0.index, "score": Double($0.score)]
            }
        }
        if i < p.entities.count {
            object["entities"] = p.entities[i].flatMap { e in
                carried(by: e).map { group -> [String: Any] in
                    var entry: [String: Any] = [
                        "entity": e.index, "kind": e.isHuman ? "human" : "object",
                        "top": best(e.scores[group.name] ?? [], names: info.names(group)).map {
                            ["label": $0.name, "index": $0.index, "score": Double($0.score)]
                        },
                    ]
                    if p.segmented { entry["segment"] = e.segment }
                    return entry
                }
            }
        }
        return object
    }

    /// Clip `i` as CSV rows (fields quoted where they hold a comma or a quote).
    func csvRows(_ p: Predictions, clip i: Int) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let id = field(p.clipIDs[i])
        var out = ""
        for group in info.task.groups where group.rows == .clip {
            guard let scores = p.clipScores[group.name]?[i] else { continue }
            for (rank, b) in best(scores, names: info.names(group)).enumerated() {
                out +=
                    "\(id),,,,\(group.name),\(rank + 1),\(field(b.name)),\(b.index),\(String(format: "%.6g", b.score))\n"
            }
        }
        guard i < p.entities.count else { return out }
        for e in p.entities[i] {
            for group in carried(by: e) {
                for (rank, b) in best(e.scores[group.name] ?? [], names: info.names(group)).enumerated() {
                    let segment = p.segmented ? String(e.segment) : ""
                    out +=
                        "\(id),\(segment),\(e.index),\(e.isHuman ? "human" : "object"),\(group.name),\(rank + 1),\(field(b.name)),\(b.index),\(String(format: "%.6g", b.score))\n"
                }
            }
        }
        return out
    }

    /// The groups of node rows whose labels an entity like `e` carries (humans: sub-activities).
    func carried(by e: Predictions.Entity) -> [LabelGroupSpec] {
        info.task.groups.filter { g in
            g.rows == .node && (g.carriers == .all || (g.carriers == .humans) == e.isHuman)
        }
    }

    func shown(_ scores: [Float], _ group: LabelGroupSpec) -> String {
        best(scores, names: info.names(group)).map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(
            separator: ", ")
    }

    public func best(_ scores: [Float], names: [String]) -> [(index: Int, name: String, score: Float)] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(top).map {
            (index: $0, name: $0 < names.count ? names[$0] : "class \($0)", score: scores[$0])
        }
    }
}
