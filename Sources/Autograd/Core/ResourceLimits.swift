import Foundation

/// How large anything read from a file or an option may make the process, checked before it
/// is allocated: a size that passes fits in memory with room to spare, and one that does not
/// is an error naming it, never an allocation that traps or a swap storm.
public enum ResourceLimits {
    /// The most float32 values one allocation may hold: an eighth of physical memory, and at
    /// most 2^34 (64 GiB).
    public static let maximumElements: Int = {
        let memory = ProcessInfo.processInfo.physicalMemory
        return Int(min(memory / 4 / 8, 1 << 34))
    }()

    /// The product of `factors`, or nil when it overflows or exceeds `limit`.
    public static func product(_ factors: [Int], limit: Int = maximumElements) -> Int? {
        var total = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (p, overflow) = total.multipliedReportingOverflow(by: f)
            guard !overflow, p <= limit else { return nil }
            total = p
        }
        return total
    }

    /// The sum of `terms`, or nil when it overflows or exceeds `limit`.
    public static func sum(_ terms: [Int], limit: Int = maximumElements) -> Int? {
        var total = 0
        for t in terms {
            guard t >= 0 else { return nil }
            let (s, overflow) = total.addingReportingOverflow(t)
            guard !overflow, s <= limit else { return nil }
            total = s
        }
        return total
    }

    /// A readable size, for messages: "1.2 GB".
    public static func describe(elements: Int) -> String {
        describe(bytes: elements.multipliedReportingOverflow(by: 4).partialValue)
    }

    /// A readable size of `bytes`, for messages: "1.2 GB", "340 MB".
    public static func describe(bytes: Int) -> String {
        let b = Double(bytes)
        return b >= 1e9 ? String(format: "%.1f GB", b / 1e9) : String(format: "%.0f MB", b / 1e6)
    }
}
