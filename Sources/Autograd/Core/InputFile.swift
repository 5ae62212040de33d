import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole input file, or says in plain words why not: missing, a folder, a FIFO or a
/// device (which would block, or never end), unreadable, or larger than memory allows.
public enum InputFile {
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let problem: String
        public var description: String { "\(path) \(problem)" }
    }

    /// What stands at `path`: nil if nothing, "a regular file", or what else. Inputs follow
    /// symbolic links; outputs (`AtomicFile`) look at the link itself.
    public static func kind(of path: String, followingLinks: Bool = true) -> String? {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// Throws unless `url` names a readable regular file.
    public static func check(_ url: URL) throws(ReadError) {
        guard let kind = kind(of: url.path) else { throw ReadError(path: url.path, problem: "does not exist") }
        guard kind == "a regular file" else { throw ReadError(path: url.path, problem: "is \(kind), not a file") }
        guard access(url.path, R_OK) == 0 else {
            throw ReadError(path: url.path, problem: "cannot be read (permission denied)")
        }
    }

    /// Throws unless `url` names a readable folder.
    public static func checkFolder(_ url: URL) throws(ReadError) {
        guard let kind = kind(of: url.path) else { throw ReadError(path: url.path, problem: "does not exist") }
        guard kind == "a folder" else { throw ReadError(path: url.path, problem: "is \(kind), not a folder") }
        guard access(url.path, R_OK | X_OK) == 0 else {
            throw ReadError(path: url.path, problem: "cannot be read (permission denied)")
        }
    }

    public static func contents(of url: URL) throws(ReadError) -> Data {
        try check(url)
        var info = stat()
        if stat(url.path, &info) == 0, Int(info.st_size) > ResourceLimits.maximumElements * 4 {
            throw ReadError(
                path: url.path, problem: "is \(info.st_size) bytes, more than this machine can read into memory")
        }
        do {
            let data = try Data(contentsOf: url)
            recorder?.record(url, data)
            return data
        } catch {
            throw ReadError(
                path: url.path,
                problem: "cannot be read: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
    }

    /// The file as UTF-8 text.
    public static func text(of url: URL) throws(ReadError) -> String {
        let data = try contents(of: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(path: url.path, problem: "is not UTF-8 text")
        }
        return text
    }
}
