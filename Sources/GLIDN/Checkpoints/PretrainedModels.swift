import Foundation
import Settings

/// The models that ship in the repository (`Sources/GLIDN/Models`, small enough to commit),
/// named by `--model`: each a recipe trained by `tools/models/train_pretrained.sh`, with its
/// cross-subject scores and checksum in `Sources/GLIDN/Models/README.md`.
public enum PretrainedModels {
    public struct Model: Sendable {
        public let name: String
        public let file: String
        public let summary: String
    }

    public static let all: [Model] = [
        Model(
            name: "cad120-detection", file: "cad120-detection.safetensors",
            summary:
                "CAD-120 whole videos: each segment's sub-activity and affordances (the detection recipe, global variant)"
        ),
        Model(
            name: "cad120-anticipation", file: "cad120-anticipation.safetensors",
            summary: "CAD-120 whole videos: each segment's next sub-activity and affordances (the anticipation recipe)"),
    ]

    /// The folder holding them: `GLIDN_MODELS` if set, else the source tree's `Models` beside
    /// this file (the package is built from its clone).
    public static var folder: URL {
        if let given = ProcessInfo.processInfo.environment["GLIDN_MODELS"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models")
    }

    /// The checkpoint file of the model `name`, or an error listing the names.
    public static func url(_ name: String) throws(SettingError) -> URL {
        guard let model = all.first(where: { $0.name == name }) else {
            throw SettingError(
                "--model '\(name)' is not a pretrained model; there are: "
                    + all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))
        }
        let url = folder.appendingPathComponent(model.file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SettingError(
                "the pretrained model \(name) is not at \(url.path): set GLIDN_MODELS to the folder holding \(model.file) (Sources/GLIDN/Models in the repository)"
            )
        }
        return url
    }
}
