/// A safetensors file that cannot be read, with the file and the problem.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public enum Problem: Equatable, Sendable {
        case unreadable(String)
        case tooShort(bytes: Int)
        case headerLength(declared: UInt64, available: Int)
        case headerNotJSON(String)
        case entry(name: String, String)
        case unsupportedDType(name: String, dtype: String)
        case missingTensor(String)
        case wrongKind(name: String, dtype: String, wanted: String)
        /// The bytes of a tensor (or the metadata) do not match the checksum the file stores.
        case checksum(name: String, stored: String?, computed: String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, _ problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .unreadable(let reason): what = "cannot be read: \(reason)"
        case .tooShort(let n): what = "is \(n) bytes long, too short for a safetensors header (8-byte length first)"
        case .headerLength(let declared, let available):
            what =
                "declares a \(declared)-byte header but only \(available) bytes follow (truncated or not safetensors)"
        case .headerNotJSON(let reason): what = "has a header that is not a JSON object of tensors: \(reason)"
        case .entry(let name, let reason): what = "has a bad entry '\(name)': \(reason)"
        case .unsupportedDType(let name, let dtype): what = "stores '\(name)' as \(dtype), which is not supported"
        case .missingTensor(let name): what = "has no tensor named '\(name)'"
        case .wrongKind(let name, let dtype, let wanted): what = "stores '\(name)' as \(dtype), expected \(wanted)"
        case .checksum(let name, let stored?, let computed):
            let part = name == SafeTensors.metadataChecksumName ? "its metadata" : "tensor '\(name)'"
            what =
                "is damaged: the bytes of \(part) have CRC-32C \(computed), the file stores \(stored) (a flipped bit on disk or in transfer?): restore it from a copy, or train again"
        case .checksum(let name, nil, _):
            what = "carries checksums, but none for '\(name)': the file was altered after it was written"
        }
        return "safetensors file \(path) \(what)"
    }
}
