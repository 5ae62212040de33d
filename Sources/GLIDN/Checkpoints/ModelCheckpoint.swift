import Autograd
import Foundation
import Logging
import NN

/// A model saved as safetensors: the weights under the checkpoint names of docs/MODEL.md
/// (so `safetensors.torch.load_file` yields a PyTorch state dict) and the configuration
/// as JSON in `__metadata__["config"]`.
public enum ModelCheckpoint {
    public static let formatKey = "format"
    public static let formatValue = "glidn"

    public static func save(_ model: GLIDNModel, to url: URL, metadata extra: [String: String] = [:]) throws {
        var metadata = extra
        metadata["config"] = model.config.json()
        metadata[formatKey] = formatValue
        let tensors = model.namedParameters().map { (name: $0.name, tensor: $0.parameter.value.detached()) }
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads a checkpoint: the configuration from its metadata, then every weight,
    /// checked by name and shape.
    public static func load(_ url: URL) throws -> (model: GLIDNModel, metadata: [String: String]) {
        let file = try SafeTensorsFile.read(contentsOf: url)
        guard let json = file.metadata["config"] else {
            throw ConfigError(source: url.path, problem: "is not a GLIDN checkpoint: no 'config' in its __metadata__")
        }
        noteIfUnchecked(file)
        let config = try ModelConfig.decode(json: json, source: url.path)
        let model = try GLIDNModel(config: config, seed: 0)
        try model.load(try file.tensors(), source: url.path)
        return (model, file.metadata)
    }

    /// Files GLIDN writes carry checksums, verified as they are read; a file without them (from
    /// PyTorch, or an older GLIDN) loads, with a note that only its values' range was checked.
    static func noteIfUnchecked(_ file: SafeTensorsFile) {
        guard !file.hasChecksums else { return }
        Logger(label: "glidn.checkpoint").warning(
            "\(file.path) carries no checksums (written by PyTorch or an older glidn): its weights are checked for shape and finite values only"
        )
    }
}
