import Dispatch

/// Wall time per op of the tape, for `glidn bench --profile`: where a training step's time goes.
///
/// While a profiler is installed (`OpProfiler.profiling`), every op recorded on the tape is
/// charged, in the forward pass, the time since the previous op was recorded (its own work
/// and any untaped work just before it, such as building graph inputs) and, in the backward
/// pass, the time its gradient closure takes. Ops are told apart by the function that
/// recorded them and the shape of their result. Uninstalled, it costs one check per op.
/// It is installed for the current task only (a task-local value), like `GradMode`: ops that
/// other tasks record at the same time, on other threads, are neither counted nor racing.
public final class OpProfiler: @unchecked Sendable {
    /// One op: the file and function that recorded it, and its result's shape.
    public struct Site: Hashable, Sendable {
        public let file: String
        public let function: String
        public let shape: [Int]
    }

    public struct Entry: Sendable {
        public let site: Site
        public internal(set) var calls = 0
        public internal(set) var forwardNanoseconds: UInt64 = 0
        public internal(set) var backwardNanoseconds: UInt64 = 0
        public var totalNanoseconds: UInt64 { forwardNanoseconds + backwardNanoseconds }
    }

    @TaskLocal static var current: OpProfiler?

    private var entries: [Site: Entry] = [:]
    private var lastMark = DispatchTime.now().uptimeNanoseconds

    /// Runs `body` with a profiler installed; returns its result and the ops, costliest first.
    public static func profiling<R>(_ body: () throws -> R) rethrows -> (R, [Entry]) {
        let profiler = OpProfiler()
        let result = try $current.withValue(profiler) { try body() }
        return (result, profiler.entries.values.sorted { $0.totalNanoseconds > $1.totalNanoseconds })
    }

    /// Starts the forward clock afresh (at the start of a step), so that time between steps
    /// is charged to no op.
    public static func restartClock() {
        current?.lastMark = DispatchTime.now().uptimeNanoseconds
    }

    func forward(_ site: Site) -> Site {
        let now = DispatchTime.now().uptimeNanoseconds
        entries[site, default: Entry(site: site)].calls += 1
        entries[site, default: Entry(site: site)].forwardNanoseconds += now - lastMark
        lastMark = now
        return site
    }

    func backward(_ site: Site, nanoseconds: UInt64) {
        entries[site, default: Entry(site: site)].backwardNanoseconds += nanoseconds
    }
}
