import Autograd
import Foundation

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

    /// Throws unless `url` is nothing yet or a regular file, and its folder can be written.
    public static func checkWritable(_ url: URL) throws(WriteError) {
        if let kind = kind(of: url.path), kind != "a regular file" {
            throw WriteError(path: url.path, reason: "it is \(kind), not a regular file: refusing to replace it")
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
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
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

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }
}
