import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What memory there is, and what happens when a tensor cannot be allocated.
///
/// Commands check their estimated need against `available` before the work starts (an
/// error naming the option to lower); this is the last line behind that check: an allocation
/// that fails anyway ends the process with a message instead of a crash and a core dump.
public enum MemoryExhaustion {
    /// Called with the size of an allocation that failed (after the buffer pool was emptied).
    /// The default writes the message to standard error and exits with status 1.
    nonisolated(unsafe) public static var handler: (Int) -> Never = { bytes in
        let message =
            "Error: out of memory: \(ResourceLimits.describe(bytes: bytes)) could not be allocated (\(ResourceLimits.describe(bytes: available())) left to this process). "
            + "Lower --hidden, --batch-size or the clip sizes, or give the process more memory (ulimit -v).\n"
        FileHandle.standardError.write(Data(message.utf8))
        exit(1)
    }

    /// Bytes this process can still allocate: the lower of the memory the kernel reports
    /// available (MemAvailable) and what the address-space limit (RLIMIT_AS, `ulimit -v`)
    /// leaves above the process's current size.
    public static func available() -> Int {
        var limit = rlimit()
        var fromLimit = Int.max
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {  // RLIM_INFINITY
            fromLimit = max(0, Int(clamping: limit.rlim_cur) - status("VmSize:"))
        }
        let fromSystem = meminfo("MemAvailable:") ?? Int(clamping: ProcessInfo.processInfo.physicalMemory)
        return min(fromLimit, fromSystem)
    }

    /// A field of /proc/self/status in bytes (0 where there is none).
    static func status(_ field: String) -> Int { procField("/proc/self/status", field) ?? 0 }

    static func meminfo(_ field: String) -> Int? { procField("/proc/meminfo", field) }

    private static func procField(_ path: String, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
