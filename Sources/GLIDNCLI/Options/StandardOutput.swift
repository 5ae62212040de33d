import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output that could not be written is an error: a result sent to a full disk or
/// `/dev/full` must not end in exit status 0 and an empty file.
package enum StandardOutput {
    struct WriteError: Error, CustomStringConvertible {
        let reason: String
        var description: String {
            "writing the standard output failed (\(reason)): what this command printed is incomplete"
        }
    }

    /// Flushes what is buffered and throws if this or any earlier write to `stream` (standard
    /// output, which only the program's top level may name under Swift 6's rules) failed.
    package static func checkWritten(_ stream: UnsafeMutablePointer<FILE>?) throws {
        guard let stream else { return }
        errno = 0
        let flushed = fflush(stream)
        let code = errno
        guard flushed != 0 || ferror(stream) != 0 else { return }
        throw WriteError(
            reason: code != 0 ? String(cString: strerror(code)) : "a write failed: a full disk, or a closed file?")
    }
}
