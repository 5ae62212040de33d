import Foundation
import Logging
import Synchronization

/// The library's log as the tool's own lines on standard error: "warning: …" as the tool's
/// notes read, each message once per process (a data set loaded twice warns once); with
/// GLIDN_LOG_LEVEL at info or below, lines carry the time and the logger's label.
struct ToolLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    private static let said = Mutex<Set<String>>([])

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        let line: String
        if logLevel <= .info {
            line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level) \(label): \(text)\n"
        } else {
            guard Self.said.withLock({ $0.insert(text).inserted }) else { return }
            line = "\(event.level >= .error ? "error" : "warning"): \(text)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}
