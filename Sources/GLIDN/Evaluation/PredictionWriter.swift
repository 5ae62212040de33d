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
        /// and rank (node rows), with the true label where known.
        case csv
        /// Charades_v1_classify.m's submission format: per line the clip id and every class score.
        case charades
    }

    public let info: DatasetInfo
    public let top: Int
    /// Every class's score besides the top ones (JSON formats).
    public let allScores: Bool

    public init(info: DatasetInfo, top: Int, allScores: Bool = false) {
        (self.info, self.top, self.allScores) = (info, top, allScores)
    }

    /// The entity's category by name (`person`, `cup`, …), else human or object.
    func categoryName(_ e: Predictions.Entity) -> String {
        e.category >= 0 && e.category < info.categoryNames.count
            ? info.categoryNames[e.category] : (e.isHuman ? "human" : "object")
    }

    /// Where an entity's prediction is: "segment 3, entity 1", or for anticipation "segment 4
    /// (after segments 0–3), entity 1".
    func place(_ e: Predictions.Entity, segmented: Bool) -> String {
        guard segmented else { return "entity \(e.index)" }
        let frames = e.frames.map { ", frames \($0.lowerBound)–\($0.upperBound)" } ?? ""
        if e.predictedSegment != e.segment {
            let seen = e.segment == 0 ? "segment 0" : "segments 0–\(e.segment)"
            return "segment \(e.predictedSegment)\(frames) (anticipated after \(seen)), entity \(e.index)"
        }
        return "segment \(e.segment)\(frames), entity \(e.index)"
    }

    /// The true label's name, where known.
    func truthName(_ e: Predictions.Entity, _ group: LabelGroupSpec) -> String? {
        e.truth[group.name].map { i in i < info.names(group).count ? info.names(group)[i] : "class \(i)" }
    }

    public func render(_ p: Predictions, format: Format) -> String {
        let clipGroups = info.task.groups.filter { $0.rows == .clip }
        var out = ""
        for (i, id) in p.clipIDs.enumerated() {
            switch format {
            case .charades:
                out += id + " " + p.videoScores[i].map { String(format: "%.6g", $0) }.joined(separator: " ") + "\n"
            case .text:
                let took = i < p.seconds.count ? String(format: " (update %.2f ms)", p.seconds[i] * 1000) : ""
                for group in clipGroups {
                    guard let scores = p.clipScores[group.name]?[i] else { continue }
                    let label = clipGroups.count == 1 ? "" : " \(group.title)"
                    out += id + took + "\(label): " + shown(scores, group) + "\n"
                }
                guard i < p.entities.count else { continue }
                out += id + took + "\n"
                for e in p.entities[i] {
                    for group in carried(by: e) {
                        let truth = truthName(e, group).map { "  (truth: \($0))" } ?? ""
                        out +=
                            "  \(place(e, segmented: p.segmented)) (\(categoryName(e))): "
                            + shown(e.scores[group.name] ?? [], group) + truth + "\n"
                    }
                }
            case .jsonl:
                out += Self.json(object(p, clip: i)) + "\n"
            case .json:
                out += (i == 0 ? "[\n" : ",\n") + Self.json(object(p, clip: i))
            case .csv:
                if i == 0 { out += "clip,segment,entity,kind,category,group,rank,label,index,score,truth\n" }
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
        if i < p.seconds.count { object["seconds"] = p.seconds[i] }
        for group in clipGroups {
            guard let scores = p.clipScores[group.name]?[i] else { continue }
            object[clipGroups.count == 1 ? "top" : group.name] = best(scores, names: info.names(group)).map {
                ["class": $0.name, "index": $0.index, "score": Double($0.score)]
            }
            if allScores {
                let names = info.names(group)
                object[clipGroups.count == 1 ? "scores" : group.name + "_scores"] = Dictionary(
                    uniqueKeysWithValues: scores.enumerated().map {
                        ($0.offset < names.count ? names[$0.offset] : "class \($0.offset)", Double($0.element))
                    })
            }
        }
        if i < p.entities.count {
            object["entities"] = p.entities[i].flatMap { e in
                carried(by: e).map { group -> [String: Any] in
                    var entry: [String: Any] = [
                        "entity": e.index, "kind": e.isHuman ? "human" : "object", "category": categoryName(e),
                        "group": group.name,
                        "top": best(e.scores[group.name] ?? [], names: info.names(group)).map {
                            ["label": $0.name, "index": $0.index, "score": Double($0.score)]
                        },
                    ]
                    if p.segmented {
                        entry["segment"] = e.predictedSegment
                        if e.predictedSegment != e.segment { entry["after_segment"] = e.segment }
                    }
                    if let truth = truthName(e, group) { entry["truth"] = truth }
                    if let frames = e.frames { entry["frames"] = [frames.lowerBound, frames.upperBound] }
                    if allScores {
                        let names = info.names(group)
                        entry["scores"] = Dictionary(
                            uniqueKeysWithValues: (e.scores[group.name] ?? []).enumerated().map {
                                ($0.offset < names.count ? names[$0.offset] : "class \($0.offset)", Double($0.element))
                            })
                    }
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
                    "\(id),,,,,\(group.name),\(rank + 1),\(field(b.name)),\(b.index),\(String(format: "%.6g", b.score)),\n"
            }
        }
        guard i < p.entities.count else { return out }
        for e in p.entities[i] {
            for group in carried(by: e) {
                let truth = field(truthName(e, group) ?? "")
                for (rank, b) in best(e.scores[group.name] ?? [], names: info.names(group)).enumerated() {
                    let segment = p.segmented ? String(e.predictedSegment) : ""
                    out +=
                        "\(id),\(segment),\(e.index),\(e.isHuman ? "human" : "object"),\(field(categoryName(e))),\(group.name),\(rank + 1),\(field(b.name)),\(b.index),\(String(format: "%.6g", b.score)),\(truth)\n"
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
