import ArgumentParser
import Foundation
import GLIDN
import HOIData
import NN

/// `glidn predict`: what a checkpoint predicts for each clip.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a checkpoint: top classes per clip (video task) or per entity (entity task).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// Readable lines.
        case text
        /// One JSON object per clip.
        case json
        /// Charades_v1_classify.m's submission format: per line the clip id and every class score.
        case charades
    }

    @OptionGroup(title: "Checkpoint") var checkpoint: CheckpointOptions
    @OptionGroup(title: "Data") var data: DataOptions

    @Option(help: "Output format: text, json or charades.")
    var format: Format = .text

    @Option(help: "Classes shown per clip or entity (text and json).")
    var top = 3

    @Option(help: "Write the predictions to this file (atomically) instead of standard output.")
    var output: String?

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        if let output {
            try OutputCheck.file(output, option: "--output", inputs: [checkpoint.checkpoint, data.data, data.annotations, data.testAnnotations])
        }
        let (model, metadata) = try checkpoint.loadModel()
        let loaded = try checkpoint.data(data, metadata: metadata)
        try checkpoint.check(model, against: loaded.info)
        let (_, clips) = try checkpoint.pick(loaded)
        let (_, predictions) = try Evaluator.run(model, on: clips, batchSize: checkpoint.batchSize)
        if format == .charades && model.config.task != .video {
            throw ValidationError("the charades format is for the video task")
        }
        let text = PredictionWriter(info: loaded.info, top: top).render(predictions, format: format)
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("wrote \(predictions.clipIDs.count) predictions to \(output)\n".utf8))
        } else {
            print(text, terminator: "")
        }
    }
}

/// Turns predictions into text in the chosen format.
struct PredictionWriter {
    let info: DatasetInfo
    let top: Int

    func render(_ p: Predictions, format: PredictCommand.Format) -> String {
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

    func best(_ scores: [Float], names: [String]) -> [(index: Int, name: String, score: Float)] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(top).map {
            (index: $0, name: $0 < names.count ? names[$0] : "class \($0)", score: scores[$0])
        }
    }
}
