import Foundation

/// One line of progress on standard error, rewritten in place on a terminal (at most five
/// times a second) and left out elsewhere, so that logs hold results, not progress.
package final class ProgressLine {
    package let interactive = isatty(STDERR_FILENO) != 0
    private var last = Date.distantPast
    private var shown = false

    package init() {}

    package func update(_ text: String) {
        guard interactive, Date().timeIntervalSince(last) >= 0.2 else { return }
        last = Date()
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        shown = true
    }

    package func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
