import ArgumentParser
import Foundation
import Logging

/// The `glidn` command: every subcommand of the tool.
public struct GLIDNCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "glidn",
        abstract: "Global-Local Interaction Distillation Network: human-object interaction recognition in video.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, EvaluateSubmissionCommand.self, BenchCommand.self, VerifyReferenceCommand.self]
    )
}

extension GLIDNCommand {
    /// Library code logs through swift-log; the tool sends it to standard error at the
    /// level named by GLIDN_LOG_LEVEL (default: warning), keeping standard output for results.
    public static func bootstrapLogging() {
        let level = ProcessInfo.processInfo.environment["GLIDN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
