import Foundation
import GLIDN
import GLIDNCLI
import NN
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults and operations on a run's files (issue "Trust in a run's files"): one test per case
/// an operator found failing, run through the built `glidn` where a process matters (locks,
/// signals, standard output, memory limits) and in-process elsewhere.
@Suite("A run's files: locked, checksummed, interrupted cleanly", .serialized)
struct RunFileTrustTests {
    static let tiny = CommandTests.tinyData + CommandTests.tinyModel

    /// Runs the built `glidn` with standard output sent to `stdout` (a path) and more environment.
    static func tool(
        _ arguments: [String], stdout: String? = nil, environment: [String: String] = [:], shell: String? = nil
    ) throws -> (status: Int32, err: String, process: Process) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("glidn")
        let process = Process()
        if let shell {  // a shell line run before exec'ing glidn (ulimit)
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(shell); exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = stdout.map { FileHandle(forWritingAtPath: $0)! } ?? FileHandle.nullDevice
        try process.run()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errors, process)
    }

    static func floats(_ path: String) throws -> [String: [Float]] {
        let file = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: path))
        var out: [String: [Float]] = [:]
        for name in file.names { out[name] = try file.tensor(name).values }
        return out
    }

    /// Flips bit `bit` of byte `offset` of the tensor data (after the header).
    static func flip(_ path: String, offset: Int, bit: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        bytes[8 + length + offset] ^= UInt8(1 << bit)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    @Test(
        "a second writer of a run folder is refused at once, naming the holder; readers work; a dead holder's lock is taken over"
    )
    func oneOwner() throws {
        let out = CommandTests.folder("lock")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["train", "--epochs", "1", "--output", out] + Self.tiny)
        var lock: RunFolderLock? = try RunFolderLock(URL(fileURLWithPath: out), command: "glidn train (the test)")
        for arguments in [
            ["train", "--epochs", "2", "--output", out, "--overwrite"],
            ["train", "--resume", "--epochs", "2", "--output", out],
        ] {
            let second = try Self.tool(arguments + Self.tiny)
            #expect(
                second.status == 1 && second.err.contains("is in use by another run (pid \(getpid())")
                    && second.err.contains("glidn train (the test)"), "\(second.err)")
        }
        let reader = try Self.tool(["evaluate", "--checkpoint", out + "/best.safetensors"])
        #expect(reader.status == 0, "evaluate reads while the folder is locked: \(reader.err)")
        lock = nil  // the holder ends
        _ = lock
        let after = try Self.tool(["train", "--resume", "--epochs", "2", "--output", out] + Self.tiny)
        #expect(after.status == 0, "\(after.err)")
        // A holder killed with SIGKILL: the kernel drops its lock. (--no-fork: flock itself becomes
        // `sleep`, so that the process killed is the one holding the lock.)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--no-fork", out + "/" + RunFolderLock.fileName, "sleep", "60"]
        try holder.run()
        usleep(300_000)
        let blocked = try Self.tool(["train", "--resume", "--epochs", "3", "--output", out] + Self.tiny)
        #expect(blocked.status == 1 && blocked.err.contains("in use by another run"), "\(blocked.err)")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let taken = try Self.tool(["train", "--resume", "--epochs", "3", "--output", out] + Self.tiny)
        #expect(taken.status == 0, "\(taken.err)")
    }

    @Test("--overwrite replaces a run (its files only); without it a run folder is refused")
    func overwrite() throws {
        let out = CommandTests.folder("overwrite")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["train", "--epochs", "2", "--output", out] + Self.tiny)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        let refused = CommandTests.message(["train", "--epochs", "1", "--output", out] + Self.tiny) ?? ""
        #expect(refused.contains("already holds a run") && refused.contains("--overwrite"), "\(refused)")
        try CommandTests.run(["train", "--epochs", "1", "--output", out, "--overwrite"] + Self.tiny)
        #expect(!FileManager.default.fileExists(atPath: out + "/epoch-002.safetensors"))
        #expect(FileManager.default.fileExists(atPath: out + "/notes.txt"))
    }

    @Test("a full standard output is an error, not exit status 0")
    func fullStandardOutput() throws {
        let out = CommandTests.folder("stdout")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["train", "--epochs", "1", "--output", out] + Self.tiny)
        for arguments in [
            ["evaluate", "--checkpoint", out + "/best.safetensors", "--json"],
            ["predict", "--checkpoint", out + "/best.safetensors"],
        ] {
            let full = try Self.tool(arguments, stdout: "/dev/full")
            #expect(full.status == 1 && full.err.contains("writing the standard output failed"), "\(full.err)")
        }
    }

    @Test("a resume on data changed since the run began is refused naming the file and both checksums")
    func changedData() throws {
        let out = CommandTests.folder("data")
        let data = out + "-gt.pkl"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: data)
        }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../HOIDataTests/Fixtures/cad120_gt_small.pkl").standardized
        try FileManager.default.copyItem(at: fixture, to: URL(fileURLWithPath: data))
        let options = ["--dataset", "cad120-gt", "--data", data] + CommandTests.tinyModel
        try CommandTests.run(["train", "--epochs", "1", "--output", out] + options)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: data))
        bytes[bytes.count - 40] ^= 1
        try bytes.write(to: URL(fileURLWithPath: data))
        let refused = CommandTests.message(["train", "--resume", "--epochs", "2", "--output", out]) ?? ""
        #expect(
            refused.contains("the data changed") && refused.contains(data) && refused.contains("CRC-32C")
                && refused.contains("--accept-changed-data"), "\(refused)")
        try CommandTests.run(["train", "--resume", "--epochs", "2", "--output", out, "--accept-changed-data"])
        // The data gone: the error says the path came from the checkpoint and how to name the data.
        try FileManager.default.removeItem(atPath: data)
        let gone = CommandTests.message(["evaluate", "--checkpoint", out + "/best.safetensors"]) ?? ""
        #expect(
            gone.contains("was trained on --data \(data)") && gone.contains("--dataset cad120-gt --data PATH"),
            "\(gone)")
    }

    @Test("a flipped bit or random bytes in a checkpoint's tensors are detected, naming the file and the tensor")
    func bitFlips() throws {
        let out = CommandTests.folder("flips")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["train", "--epochs", "1", "--output", out] + Self.tiny)
        let best = out + "/best.safetensors"
        let pristine = try Data(contentsOf: URL(fileURLWithPath: best))
        let file = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: best))
        #expect(file.hasChecksums)
        let dataBytes = file.entries.reduce(0) { $0 + $1.shape.reduce(4, *) }
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            try pristine.write(to: URL(fileURLWithPath: best))
            try Self.flip(best, offset: Int.random(in: 0..<dataBytes, using: &generator), bit: trial % 8)
            let message = CommandTests.message(["evaluate", "--checkpoint", best]) ?? ""
            #expect(
                message.contains(best) && message.contains("is damaged") && message.contains("tensor '"), "\(message)")
        }
        try pristine.write(to: URL(fileURLWithPath: best))
        var bytes = pristine
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        for i in 0..<64 { bytes[8 + length + 100 + i] = UInt8.random(in: 0...255) }
        try bytes.write(to: URL(fileURLWithPath: best))
        #expect(CommandTests.message(["evaluate", "--checkpoint", best])?.contains("is damaged") == true)
        // Without checksums (another tool's file): a NaN weight is refused at load, naming the tensor.
        try pristine.write(to: URL(fileURLWithPath: best))
        try HostileCommandTests.patchFirst(best, tensor: file.names[0], bytes: [0x00, 0x00, 0xC0, 0x7F])
        let nan = CommandTests.message(["evaluate", "--checkpoint", best]) ?? ""
        #expect(nan.contains("\(file.names[0]) holds nan"), "\(nan)")
        // A non-finite optimizer moment in a resume file without checksums.
        let resume = out + "/resume.safetensors"
        let names = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: resume)).names
        let moment = try #require(names.first { $0.hasPrefix("optimizer.") && $0.hasSuffix(".exp_avg") })
        try HostileCommandTests.patchFirst(resume, tensor: moment, bytes: [0x00, 0x00, 0x80, 0x7F])  // +inf
        let inf = CommandTests.message(["train", "--resume", "--epochs", "2", "--output", out]) ?? ""
        #expect(inf.contains("optimizer state") && inf.contains("holds inf"), "\(inf)")
    }

    @Test("SIGINT and SIGTERM finish the step, save it, exit 130/143; the resumed run is bit-identical")
    func interrupted() throws {
        let whole = CommandTests.folder("whole")
        let cut = CommandTests.folder("cut")
        defer {
            try? FileManager.default.removeItem(atPath: whole)
            try? FileManager.default.removeItem(atPath: cut)
        }
        let options = [
            "--epochs", "4", "--train-clips", "1500", "--validation-clips", "16", "--test-clips", "8", "--batch-size",
            "8",
            "--hidden", "16", "--heads", "2",
        ]
        try CommandTests.run(["train", "--output", whole] + options)
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("glidn")
            let process = Process()
            process.executableURL = binary
            process.arguments =
                status == 130 ? ["train", "--output", cut] + options : ["train", "--output", cut, "--resume"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the run's next epoch file, then interrupt: in the epoch after it (or at its end).
            let epochFiles = {
                (try? FileManager.default.contentsOfDirectory(atPath: cut))?.filter { $0.hasPrefix("epoch-") }.count
                    ?? 0
            }
            let before = epochFiles()
            var waited = 0
            while epochFiles() == before && waited < 1200 {
                usleep(10_000)
                waited += 1
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationStatus == status, "signal \(signal)")
        }
        try CommandTests.run(["train", "--output", cut, "--resume"])
        for name in ["epoch-004.safetensors", "best.safetensors", "resume.safetensors"] {
            let (a, b) = (try Self.floats(whole + "/" + name), try Self.floats(cut + "/" + name))
            #expect(a == b, "\(name) differs from the uninterrupted run's")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cut).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("bad output names are refused before any work; GLIDN_THREADS must be a number")
    func outputNames() throws {
        let out = CommandTests.folder("names")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["train", "--epochs", "1", "--output", out] + Self.tiny)
        let checkpoint = out + "/best.safetensors"
        let slash = CommandTests.message(["predict", "--checkpoint", checkpoint, "--output", out + "/newdir/"]) ?? ""
        #expect(slash.contains("ends with '/'"), "\(slash)")
        let long = String(repeating: "n", count: 256)
        let tooLong = CommandTests.message(["predict", "--checkpoint", checkpoint, "--output", out + "/" + long]) ?? ""
        #expect(tooLong.contains("256 bytes long"), "\(tooLong)")
        // 250 bytes is a legal name: the temporary file's name does not depend on it.
        let legal = out + "/" + String(repeating: "p", count: 250)
        try CommandTests.run(["predict", "--checkpoint", checkpoint, "--output", legal])
        #expect(FileManager.default.fileExists(atPath: legal))
        #expect(CommandTests.message(["train", "--output", ""])?.contains("--output is empty") == true)
        let threads = try Self.tool(["evaluate", "--checkpoint", checkpoint], environment: ["GLIDN_THREADS": "abc"])
        #expect(threads.status == 1 && threads.err.contains("GLIDN_THREADS='abc'"), "\(threads.err)")
    }

    @Test("memory exhaustion under ulimit -v is an error naming the options to lower, not a crash or a hang")
    func memoryLimit() throws {
        let out = CommandTests.folder("memory")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let started = Date()
        // Checked before the run starts: the estimate of what it needs exceeds what is left.
        let estimated = try Self.tool(
            ["train", "--hidden", "1024", "--epochs", "1", "--train-clips", "64", "--output", out],
            shell: "ulimit -v 400000")
        #expect(
            estimated.status == 1 && estimated.err.contains("this run needs at least")
                && estimated.err.contains("lower --batch-size, --hidden or --frames"), "\(estimated.err)")
        // Tighter still: an allocation fails before the estimate is made, and says so.
        let failed = try Self.tool(
            ["train", "--hidden", "1024", "--epochs", "1", "--train-clips", "64", "--output", out],
            shell: "ulimit -v 150000")
        #expect(
            failed.status == 1 && failed.err.contains("out of memory") && failed.err.contains("--hidden"),
            "\(failed.err)")
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
