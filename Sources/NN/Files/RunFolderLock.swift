import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one writer of a run folder: an advisory lock (`flock`) on `.glidn.lock` in the folder,
/// held from before the first file is read until the process lets go or ends. The kernel drops
/// the lock with the process, however it ends, so a dead run's lock is simply taken over; the
/// file itself stays and says who held it last. Readers (`evaluate`, `report`) take no lock.
public final class RunFolderLock {
    public static let fileName = ".glidn.lock"

    /// Another process holds the folder.
    public struct Held: Error, CustomStringConvertible {
        public let folder: String
        public let holder: String
        public var description: String {
            "\(folder) is in use by another run (\(holder)): wait for it to end, or write into another folder"
        }
    }

    public let folder: URL
    private let descriptor: Int32

    /// Takes the lock of `folder` (created if needed) for `command`, or throws `Held` naming
    /// the holder's pid, command and start time at once: no waiting.
    public init(_ folder: URL, command: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let holder = Self.describeHolder(fd)
            close(fd)
            throw Held(folder: folder.path, holder: holder)
        }
        descriptor = fd
        let started = ISO8601DateFormatter().string(from: Date())
        let text = "pid \(getpid()), \(command), started \(started)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }  // closing the last descriptor releases the lock

    private static func describeHolder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "a process that has not yet said which" : line
    }
}
