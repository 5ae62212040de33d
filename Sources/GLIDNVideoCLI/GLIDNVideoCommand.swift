import ArgumentParser
import Foundation
import GLIDNCLI
import GLIDNVideo

/// `glidn-video`: the commands of `glidn` that read or write video (`glidn` runs this tool for
/// them, with the same arguments).
public struct GLIDNVideoCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "glidn",
        abstract: "The video commands of glidn: extract, predict --video, render-synthetic.",
        subcommands: [ExtractCommand.self, RenderSyntheticCommand.self, VideoPredictCommand.self])

    /// The video libraries' versions, for `glidn --version --verbose`.
    public static var libraryLines: [String] {
        let onnx =
            (try? ONNXRuntimeLibrary.load()).map { "ONNX Runtime \($0.version) (\($0.file))" }
            ?? "ONNX Runtime not installed (ONNX detectors run on OpenCV)"
        return ["video: FFmpeg (\(VideoWriter.libraryVersions)); \(VisionLibrary.versionAndThreads); \(onnx)"]
    }

    public static func runAsTool(_ arguments: [String]? = nil, standardOutput: UnsafeMutablePointer<FILE>? = nil)
        -> Never
    {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if given == ["--libraries"] {
            print(libraryLines.joined(separator: "\n"))
            exit(withError: nil)
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(given)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
            try StandardOutput.checkWritten(standardOutput)
            exit(withError: nil)
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            let ours = configuration.subcommands.contains { $0 == type(of: command) }
            guard ours else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(message(for: error))\n".utf8))
            exit(withError: ExitCode.failure)
        }
    }
}
