import ArgumentParser
import Foundation

/// The commands that read or write video run in `glidn-video`, built beside `glidn`: it links
/// FFmpeg and OpenCV (some 200 shared libraries, 0.1 s and 60 MB at every start), which the
/// other commands never need. `glidn extract …` and `glidn predict --video …` hand their
/// arguments to it unchanged.
enum VideoCommands {
    /// The first words that name a video command.
    static let names = ["extract", "render-synthetic"]

    static func forwards(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return false }
        return names.contains(first)
            || (first == "predict" && arguments.contains { $0 == "--video" || $0.hasPrefix("--video=") })
    }

    /// `glidn-video` beside the running `glidn`.
    static var tool: URL {
        let me = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent("glidn-video")
    }

    /// Replaces this process by `glidn-video` with `arguments`; returns only if it cannot.
    static func run(_ arguments: [String]) -> String {
        let path = tool.path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return
                "the video commands run in glidn-video, which is not built beside \(CommandLine.arguments[0]) (make build builds both)"
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        return "cannot run \(path): \(String(cString: strerror(errno)))"
    }

    /// `glidn-video --version --verbose`'s lines about the video libraries, if it is there.
    static func versions() -> [String] {
        let process = Process()
        process.executableURL = tool
        process.arguments = ["--libraries"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return ["video: glidn-video is not built"] }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }
}

/// `glidn extract`, listed in `glidn --help`; it runs in `glidn-video` (`VideoCommands`).
struct ExtractStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract:
            "Videos to tracked people and objects: per video <id>.npz (features for train, evaluate and predict) and <id>.tracks.csv; see glidn extract --help."
    )
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { throw ValidationError(VideoCommands.run(["extract"] + arguments)) }
}

/// `glidn render-synthetic`, listed in `glidn --help`; it runs in `glidn-video`.
struct RenderSyntheticStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-synthetic",
        abstract:
            "Render clips of the synthetic benchmark as videos, with their true boxes and labels; see glidn render-synthetic --help."
    )
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { throw ValidationError(VideoCommands.run(["render-synthetic"] + arguments)) }
}
