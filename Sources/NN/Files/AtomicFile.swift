import Autograd
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a crash never leaves a half-written one: the bytes go to a
/// temporary file beside the target, are flushed to disk, and the temporary file is
/// renamed over the target in one step. A target that exists but is not a regular file (a
/// symbolic link, a FIFO, a device, a folder) is refused, not replaced: the rename would
/// replace the link itself, or a device with a file.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// What stands at `path` itself (a link is not followed), if anything.
    public static func kind(of path: String) -> String? { InputFile.kind(of: path, followingLinks: false) }

    /// The longest file name the file systems GLIDN runs on take (ext4, XFS, tmpfs: 255 bytes).
    static let longestName = 255

    /// Throws unless `url` names a file (not empty, not ending in "/", at most 255 bytes) that is
    /// nothing yet or a regular file, in a folder that can be written.
    public static func checkWritable(_ url: URL) throws(WriteError) {
        if let kind = kind(of: url.path), kind != "a regular file" {
            throw WriteError(path: url.path, reason: "it is \(kind), not a regular file: refusing to replace it")
        }
        let name = url.lastPathComponent
        if url.hasDirectoryPath {
            throw WriteError(
                path: url.path,
                reason: "the name ends with '/', which names a folder: give a file name (e.g. \(url.path)/NAME)")
        }
        if name.isEmpty || name == "/" {
            throw WriteError(path: url.path, reason: "the name is empty")
        }
        if name.utf8.count > longestName {
            throw WriteError(
                path: url.path,
                reason: "its name is \(name.utf8.count) bytes long; file systems take at most \(longestName)")
        }
        var directory = url.deletingLastPathComponent()
        // The nearest folder that exists must let us create the rest.
        while kind(of: directory.path) == nil && directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        guard kind(of: directory.path) == "a folder" else {
            throw WriteError(path: url.path, reason: "\(directory.path) is not a folder")
        }
        guard access(directory.path, W_OK | X_OK) == 0 else {
            throw WriteError(path: url.path, reason: "the folder \(directory.path) is not writable")
        }
    }

    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        try checkWritable(url)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(
                path: url.path, reason: "cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
        removeStalePartials(in: directory)
        let temporary = directory.appendingPathComponent(
            "\(partialPrefix)\(getpid())-\(CRC32C.hex(UInt32.random(in: 0...UInt32.max)))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil && rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: failure)
        }
    }

    /// Temporary files are `.glidn-partial-PID-RANDOM`: a fixed length whatever the target's
    /// name (a 255-byte name can be written), and the writer's pid for `removeStalePartials`.
    static let partialPrefix = ".glidn-partial-"
    /// How the temporary files of earlier releases were named: `.NAME.partial-PID-RANDOM`.
    static let olderPartialMarker = ".partial-"

    private static let cleaned = Mutex<Set<String>>([])

    /// Removes the temporary files that writers killed in the middle of a write left in
    /// `directory` (their process is gone), once per folder and process. A file of a living
    /// process is its write in progress and stays.
    public static func removeStalePartials(in directory: URL) {
        let path = directory.standardizedFileURL.path
        guard cleaned.withLock({ $0.insert(path).inserted }) else { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names {
            guard let pid = partialOwner(name), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory.appendingPathComponent(name).path) }
        }
    }

    /// The pid in a temporary file's name, if `name` is one.
    static func partialOwner(_ name: String) -> pid_t? {
        let rest: Substring
        if name.hasPrefix(partialPrefix) {
            rest = name.dropFirst(partialPrefix.count)
        } else if name.hasPrefix("."), let marker = name.range(of: olderPartialMarker, options: .backwards) {
            rest = name[marker.upperBound...]
        } else {
            return nil
        }
        let parts = rest.split(separator: "-")
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }
}
