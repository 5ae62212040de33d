import Foundation

/// Whether fused ops run as their fused kernels (the default) or as their plain compositions
/// of basic ops. Every fused op keeps its composition beside it, written as the mathematics;
/// the tests use it as the reference, and `GLIDN_KERNELS=plain` runs the whole model through
/// the compositions (slower, for debugging: a result that changes with it points at a kernel).
public enum KernelMode: String, Sendable, CaseIterable {
    case fused
    case plain

    /// The process-wide mode from `GLIDN_KERNELS` (`fused` when unset or unknown).
    public static let environment: KernelMode =
        ProcessInfo.processInfo.environment["GLIDN_KERNELS"].flatMap(KernelMode.init) ?? .fused

    /// A mode for the current task only (tests run both modes side by side).
    @TaskLocal public static var override: KernelMode?

    public static var current: KernelMode { override ?? environment }

    /// True when ops should run their plain compositions.
    @inlinable public static var usesPlainOps: Bool { current == .plain }

    /// Runs `body` with `mode` in effect for this task.
    public static func with<R>(_ mode: KernelMode, _ body: () throws -> R) rethrows -> R {
        try $override.withValue(mode, operation: body)
    }
}
