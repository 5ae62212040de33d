import Dispatch

/// Collects the duration of named phases over repeated runs (milliseconds).
public final class PhaseTimer {
    public private(set) var laps: [String: [Double]] = [:]
    private var last: UInt64 = 0

    public init() {}

    public func start() { last = DispatchTime.now().uptimeNanoseconds }

    /// Records the time since the previous lap (or start) under `name`.
    public func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps[name, default: []].append(Double(now - last) / 1e6)
        last = now
    }

    public func reset() { laps = [:] }
}
