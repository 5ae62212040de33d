import Foundation
import GLIDN
import HOIData
import NN

/// One entry point per reader of outside files, each taking any byte string: what the
/// fuzzers (`glidn-fuzz`, `make fuzz`) run and what the regression tests replay. A target
/// throws away the reader's result or error: all that matters is that it returns, within
/// bounded time and memory, whatever the bytes.
public enum FuzzTargets {
    public static let names =
        [
            "safetensors", "pickle", "npy", "npz", "charades-csv", "submission", "cad120-raw", "cad120-lighten",
            "cad120-gt", "action-genome", "checkpoint-config", "reference",
        ] + VideoFuzzTargets.names

    public static func run(_ name: String, _ data: Data) {
        let path = "fuzz-input"
        let text = { String(decoding: data, as: UTF8.self) }
        if VideoFuzzTargets.names.contains(name) { return VideoFuzzTargets.run(name, data) }
        switch name {
        case "safetensors":
            if let file = try? SafeTensorsFile(bytes: data, path: path) {
                for entry in file.entries.prefix(16) { _ = try? file.tensor(entry.name) }
            }
        case "pickle": _ = try? SafePickleReader.parse(data, path: path)
        case "npy": _ = try? NPYReader.parse(data, path: path)
        case "npz":
            guard let archive = try? NPZReader(data: data, path: path) else { return }
            for name in archive.names.prefix(8) { _ = try? archive.array(name) }
        case "charades-csv": _ = try? CharadesAnnotations.parse(text(), path: path)
        case "submission": _ = try? CharadesSubmission.parse(text(), path: path)
        case "cad120-raw":
            let lines = CAD120ReleaseFiles.lines(of: text())
            let types = (try? CAD120ReleaseFiles.activityLabels(lines, path: path)) ?? [:]
            _ = try? CAD120ReleaseFiles.labeling(lines, path: path, objectTypes: types)
            _ = try? CAD120ReleaseFiles.skeleton(lines, path: path)
            _ = try? CAD120ReleaseFiles.objectTrack(lines, path: path)
        case "cad120-lighten": _ = try? LightenPickleReader.parse(data, path: path)
        case "cad120-gt":
            for video in ((try? CAD120GroundTruthReader.parse(data, path: path)) ?? []).prefix(4) {
                for labels in CAD120VideoClips.Labels.allCases {
                    _ = try? CAD120VideoClips.clip(video, framesPerSegment: 4, labels: labels)
                }
            }
        case "action-genome":
            // The same value as both files: the person boxes and the objects of each frame.
            guard let value = try? SafePickleReader.parse(data, path: path), case .dict(let pairs) = value else {
                return
            }
            let ids = Set(
                pairs.prefix(64).compactMap { $0.key.stringValue?.split(separator: ".").first.map(String.init) })
            let videos = ids.sorted().prefix(4).map { CharadesVideo(id: $0, scene: "", length: 10, actions: []) }
            let url = URL(fileURLWithPath: path)
            _ = try? ActionGenomeReader.clips(
                persons: value, objects: value, personFile: url, objectFile: url, videos: Array(videos))
        case "checkpoint-config": _ = try? ModelConfig.decode(json: text(), source: path)
        case "reference":
            // A reference file's configurations, inputs and teacher (`verify-reference` reads them).
            guard let file = try? SafeTensorsFile(bytes: data, path: path) else { return }
            _ = try? ReferenceCase.load(file, url: URL(fileURLWithPath: path))
        default: preconditionFailure("unknown fuzz target '\(name)' (known: \(names.joined(separator: ", ")))")
        }
    }
}
