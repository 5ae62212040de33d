import Foundation
import Synchronization

/// What a data file was when a run read it: its absolute path, size and CRC-32C. A run stores
/// the identities of the files it read, so that a resume (or an evaluation) on files changed
/// since can say so, naming the file and both checksums.
public struct FileIdentity: Codable, Equatable, Sendable {
    public let path: String
    public let size: Int
    /// CRC-32C of the contents, as eight hexadecimal digits.
    public let crc32c: String

    public init(path: String, contents: Data) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        size = contents.count
        crc32c = CRC32C.hex(contents.withUnsafeBytes { CRC32C.checksum($0) })
    }

    /// "SIZE bytes, CRC-32C HEX".
    public var summary: String { "\(size) bytes, CRC-32C \(crc32c)" }
}

extension InputFile {
    /// Collects the identity of every file read through `InputFile` while it is the task's recorder.
    public final class Recorder: Sendable {
        private let files = Mutex<[String: FileIdentity]>([:])

        public init() {}

        func record(_ url: URL, _ contents: Data) {
            let identity = FileIdentity(path: url.path, contents: contents)
            files.withLock { $0[identity.path] = identity }
        }

        /// The files read, by path.
        public var identities: [FileIdentity] { files.withLock { $0.values.sorted { $0.path < $1.path } } }
    }

    @TaskLocal public static var recorder: Recorder?

    /// Runs `body` and returns with its result the identity of every file it read (computed
    /// from the bytes as they were read: no second pass over the files).
    public static func recording<T>(_ body: () throws -> T) rethrows -> (result: T, files: [FileIdentity]) {
        let recorder = Recorder()
        let result = try $recorder.withValue(recorder) { try body() }
        return (result, recorder.identities)
    }
}
