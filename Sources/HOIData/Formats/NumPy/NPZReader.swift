import Foundation
import ZIPFoundation

/// Reads .npz archives (a zip of .npy files, stored or deflated), array by array.
public struct NPZReader {
    public let path: String
    private let archive: Archive

    public init(contentsOf url: URL) throws(NumPyError) {
        path = url.path
        guard FileManager.default.fileExists(atPath: url.path) else { throw NumPyError(path: url.path, "does not exist") }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw NumPyError(path: url.path, "is not a readable zip archive (.npz): \(error)")
        }
    }

    /// Array names without the ".npy" suffix.
    public var names: [String] {
        archive.compactMap { $0.type == .file && $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : nil }
    }

    public func array(_ name: String) throws(NumPyError) -> NumPyArray {
        guard let entry = archive[name + ".npy"] else {
            throw NumPyError(path: path, "has no array '\(name)' (it holds: \(names.sorted().joined(separator: ", ")))")
        }
        guard entry.uncompressedSize < 1 << 34 else { throw NumPyError(path: path, "array '\(name)' is absurdly large") }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw NumPyError(path: path, "array '\(name)' cannot be extracted (corrupt or truncated archive): \(error)")
        }
        return try NPYReader.parse(data, path: "\(path) [\(name)]")
    }
}
