import Autograd
import Foundation

/// Reads .npz archives (a zip of .npy files, stored or deflated), array by array.
public struct NPZReader {
    public let path: String
    private let archive: ZipArchive

    public init(contentsOf url: URL) throws(NumPyError) {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch { throw NumPyError(path: url.path, error.problem) }
        try self.init(data: data, path: url.path)
    }

    /// An archive held in memory (`path` names it in errors).
    public init(data: Data, path: String) throws(NumPyError) {
        self.path = path
        do {
            archive = try ZipArchive(data)
        } catch {
            throw NumPyError(path: path, "is not a readable zip archive (.npz): \(error)")
        }
    }

    /// Array names without the ".npy" suffix.
    public var names: [String] {
        archive.members.compactMap { $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : nil }
    }

    public func array(_ name: String) throws(NumPyError) -> NumPyArray {
        guard let entry = archive.member(named: name + ".npy") else {
            throw NumPyError(path: path, "has no array '\(name)' (it holds: \(names.sorted().joined(separator: ", ")))")
        }
        let label = "\(path) [\(name)]"
        // Inflation stops at what the member's own .npy header declares (or the memory limit),
        // so that a small archive cannot inflate into gigabytes.
        var data = Data()
        var declared: Int?
        let limit = ResourceLimits.maximumElements * 4
        let checksum: UInt32
        do {
            checksum = try archive.extract(entry) { chunk in
                data.append(chunk)
                if declared == nil { declared = try NPYReader.declaredLength(prefix: data, path: label) }
                if let declared, data.count > declared {
                    throw NumPyError(
                        path: path, "array '\(name)' inflates beyond the \(declared) bytes its header declares")
                }
                if data.count > limit {
                    throw NumPyError(path: path, "array '\(name)' inflates beyond the memory limit")
                }
            }
        } catch let error as NumPyError {
            throw error
        } catch {
            throw NumPyError(path: path, "array '\(name)' cannot be extracted: \(error)")
        }
        // As NumPy (zipfile) does, a member whose data fails its CRC-32 is refused.
        guard checksum == entry.checksum else {
            throw NumPyError(
                path: path,
                String(
                    format: "array '%@' fails its CRC-32 check (stored %08x, computed %08x): the archive is corrupt",
                    name, entry.checksum, checksum))
        }
        return try NPYReader.parse(data, path: label)
    }
}
