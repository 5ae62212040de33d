import CSignalFlag
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP during a long command: the first asks the work to stop
/// at the next safe point (training: after the step in progress, with the resume file written
/// at that step); a second one stops the process at once. The exit status is 128 + the signal
/// (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), as a shell expects.
///
/// The handler is C (`CSignalFlag`): it only sets a flag and writes its message with write(2).
/// A signal may land on any thread in the middle of anything (malloc included), where Swift
/// code, or libdispatch's signal sources, would not be safe.
final class Interruption {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Whether the process is the `glidn` tool (`runAsTool`): only then are handlers installed,
    /// so that commands run inside another program (the tests) leave its signals alone.
    nonisolated(unsafe) static var installs = false

    /// Installs the handlers: `what` says what the first signal does ("finishing the step in progress").
    init(what: String) {
        guard Self.installs else { return }
        let message = "\nsignal received: \(what); press Ctrl-C again to stop at once\n"
        _ = Self.signals.withUnsafeBufferPointer {
            glidn_signal_flag_install($0.baseAddress, Int32($0.count), message)
        }
    }

    /// The signal that asked to stop, if one has.
    var signal: Int32? {
        let s = glidn_signal_flag_received()
        return s == 0 ? nil : s
    }

    var requested: Bool { signal != nil }

    /// The exit status for the signal received.
    var exitCode: Int32 { 128 + (signal ?? SIGINT) }
}
