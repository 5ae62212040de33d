import Foundation
import HOIData

/// Turns predictions into text in the chosen format.
public struct PredictionWriter {
    public enum Format: String, CaseIterable, Sendable {
        /// Readable lines.
        case text
        /// One JSON object per clip.
        case json
        /// Charades_v1_classify.m's submission format: per line the clip id and every class score.
        case charades
    }

    public let info: DatasetInfo
    public let top: Int

    public init(info: DatasetInfo, top: Int) {
        (self.info, self.top) = (info, top)
    }

    public func render(_ p: Predictions, format: Format) -> String {
        var out = ""
        for (i, id) in p.clipIDs.enumerated() {
            switch format {
            case .charades:
                out += id + " " + p.videoScores[i].map { String(format: "%.6g", $0) }.joined(separator: " ") + "\n"
            case .text:
                if !p.videoScores.isEmpty {
                    out += id + ": " + best(p.videoScores[i], names: info.classNames).map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(separator: ", ") + "\n"
                } else {
                    out += id + "\n"
                    for e in p.entities[i] {
                        let scores = e.isHuman ? e.subactivity : e.affordance
                        let names = e.isHuman ? info.subactivityNames : info.affordanceNames
                        let shown = best(scores, names: names).map { "\($0.name) \(String(format: "%.3f", $0.score))" }.joined(separator: ", ")
                        let place = p.segmented ? "segment \(e.segment), entity \(e.index)" : "entity \(e.index)"
                        out += "  \(place) (\(e.isHuman ? "human" : "object")): \(shown)\n"
                    }
                }
            case .json:
                var object: [String: Any] = ["clip": id]
                if !p.videoScores.isEmpty {
                    object["top"] = best(p.videoScores[i], names: info.classNames).map { ["class": $0.name, "index": $0.index, "score": Double($0.score)] }
                } else {
                    object["entities"] = p.entities[i].map { e -> [String: Any] in
                        let scores = e.isHuman ? e.subactivity : e.affordance
                        let names = e.isHuman ? info.subactivityNames : info.affordanceNames
                        var entry: [String: Any] = ["entity": e.index, "kind": e.isHuman ? "human" : "object",
                                                    "top": best(scores, names: names).map { ["label": $0.name, "index": $0.index, "score": Double($0.score)] }]
                        if p.segmented { entry["segment"] = e.segment }
                        return entry
                    }
                }
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        return out
    }

    public func best(_ scores: [Float], names: [String]) -> [(index: Int, name: String, score: Float)] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(top).map {
            (index: $0, name: $0 < names.count ? names[$0] : "class \($0)", score: scores[$0])
        }
    }
}
