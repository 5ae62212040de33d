import ArgumentParser
import Autograd
import Foundation
import Logging

/// The `glidn` command: every subcommand of the tool.
public struct GLIDNCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "glidn",
        abstract: "Global-Local Interaction Distillation Network: human-object interaction recognition in video.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, ExtractStub.self,
            RenderSyntheticStub.self,
            ReportCommand.self,
            EvaluateSubmissionCommand.self, ExportInputsCommand.self, BenchCommand.self, VerifyReferenceCommand.self,
        ]
    )
}

extension GLIDNCommand {
    /// Parses the arguments and runs the command. A mistake in the arguments prints the
    /// message and the usage; a failure while running prints only its message (the usage
    /// would not help) and exits with status 1, or the status the command asked for.
    public static func runAsTool(_ arguments: [String]? = nil, standardOutput: UnsafeMutablePointer<FILE>? = nil)
        -> Never
    {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        Interruption.installs = true
        if VideoCommands.forwards(given) {
            FileHandle.standardError.write(Data("Error: \(VideoCommands.run(given))\n".utf8))
            exit(withError: ExitCode.failure)
        }
        if Set(given) == ["--version", "--verbose"] {
            print(RuntimeDescription.lines(version: configuration.version).joined(separator: "\n"))
            exit(withError: nil)
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        if let problem = Parallel.threadSettingProblem() {
            FileHandle.standardError.write(Data("\(problem.isError ? "Error" : "Warning"): \(problem.message)\n".utf8))
            if problem.isError { exit(withError: ExitCode.failure) }
        }
        // Every command but the help multiplies matrices: a machine without a BLAS library hears
        // so before any work, not as a trap in the middle of it.
        if case .failure(let error) = BLASLibrary.loaded,
            GLIDNCommand.configuration.subcommands.contains(where: { $0 == type(of: command) })
        {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            exit(withError: ExitCode.failure)
        }
        do {
            try command.run()
            try StandardOutput.checkWritten(standardOutput)
            exit(withError: nil)
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            // `--help` parses into ArgumentParser's own help command, whose run throws the
            // request: ArgumentParser prints the help and exits 0. Only our commands' errors
            // are runtime failures (`glidn` alone, too, asks for the help).
            let ours = GLIDNCommand.configuration.subcommands.contains { $0 == type(of: command) }
            guard ours else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(message(for: error))\n".utf8))
            exit(withError: ExitCode.failure)
        }
    }

    /// Library code logs through swift-log; the tool sends it to standard error at the
    /// level named by GLIDN_LOG_LEVEL (default: warning), keeping standard output for results.
    public static func bootstrapLogging() {
        let level =
            ProcessInfo.processInfo.environment["GLIDN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in ToolLogHandler(label: label, logLevel: level) }
    }
}
