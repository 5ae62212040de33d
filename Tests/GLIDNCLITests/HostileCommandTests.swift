import Foundation
import GLIDNCLI
import TestSupport
import Testing

/// The table of issue #14, row by row, as a user would hit it: a clear error, no trap, and
/// every file left as it was.
@Suite("Hostile input to the command line", .serialized)
struct HostileCommandTests {
    /// A safetensors file with no tensors and this metadata.
    static func metadataOnly(_ metadata: [String: String], at path: String) throws {
        let header = try JSONSerialization.data(withJSONObject: ["__metadata__": metadata], options: [.sortedKeys])
        var bytes = Data((0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) })
        bytes.append(header)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Rewrites a safetensors file's header with `change` (the data is kept).
    /// Edits the header as a hand (or another tool) would: the checksums go, so that the reader's
    /// other checks are what the test sees (a file edited with them kept is "damaged").
    static func editHeader(_ path: String, keepChecksums: Bool = false, _ change: (inout [String: Any]) -> Void)
        throws
    {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var header = try JSONSerialization.jsonObject(with: bytes[8..<(8 + length)]) as! [String: Any]
        if !keepChecksums, var metadata = header["__metadata__"] as? [String: String] {
            metadata.removeValue(forKey: "crc32c")
            header["__metadata__"] = metadata
        }
        change(&header)
        var text = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // The data offsets are relative to the data: only the header's own length changes.
        while text.count % 8 != 0 { text.append(0x20) }
        var out = Data((0..<8).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) })
        out.append(text)
        out.append(bytes[(8 + length)...])
        try out.write(to: URL(fileURLWithPath: path))
    }

    /// Overwrites the first element of tensor `name` (4 bytes) of a safetensors file (its
    /// checksums removed first, as by `editHeader`, unless `keepChecksums`).
    static func patchFirst(_ path: String, tensor name: String, bytes value: [UInt8], keepChecksums: Bool = false)
        throws
    {
        if !keepChecksums { try editHeader(path) { _ in } }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: bytes[8..<(8 + length)]) as! [String: Any]
        let offsets = (header[name] as! [String: Any])["data_offsets"] as! [Int]
        bytes.replaceSubrange((8 + length + offsets[0])..<(8 + length + offsets[0] + 4), with: value)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    static var config: [String: Any] {
        [
            "features": 4, "categories": 7, "hidden": 8, "heads": 2, "local_layers": 1, "global_layers": 1,
            "tau": 2, "lambda_kd": 0.5, "lambda_feat": 0.1, "distill": "mutual", "local_edges": "full",
            "task": "video", "classes": 16,
        ]
    }

    @Test("checkpoints whose configuration asks for absurd sizes are refused before anything is allocated")
    func absurdCheckpoints() throws {
        let path = CommandTests.folder("absurd.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (key, value, fragment) in [
            ("hidden", 1 << 40, "'hidden'"), ("features", 1 << 62, "'features'"),
            ("local_layers", 1_000_000_000, "'local_layers'"),
        ] {
            var config = Self.config
            config[key] = value
            let json = String(
                decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
            try Self.metadataOnly(["config": json], at: path)
            let message = CommandTests.message(["evaluate", "--checkpoint", path]) ?? ""
            #expect(
                message.contains(path) && message.contains(fragment)
                    && (message.contains("must lie in") || message.contains("exceeds")), "\(message)")
        }
    }

    @Test("options asking for absurd sizes are refused with the limit")
    func absurdOptions() {
        // The output folder is probed before the data are read; a failure after that leaves no folder behind.
        let base = CommandTests.folder("absurd")
        let out = base + "/nested/run"
        #expect(
            CommandTests.message(["train", "--hidden", "1000000000", "--heads", "1", "--output", out])?.contains(
                "--hidden must lie in 1…65536, got 1000000000") == true)
        #expect(!FileManager.default.fileExists(atPath: base))
        #expect(
            CommandTests.message(["train", "--train-clips", "1000000000000"])?.contains("would not fit in memory")
                == true)
        #expect(
            CommandTests.message(["evaluate", "--checkpoint", "x", "--batch-size=-1"])?.contains(
                "--batch-size must lie in") == true)
    }

    @Test("a resume file with an impossible step count is refused, and the run folder is left as it was")
    func impossibleStep() throws {
        let out = CommandTests.folder("step")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", out] + CommandTests.tinyData + CommandTests.tinyModel)
        let resume = out + "/resume.safetensors"
        try Self.editHeader(resume) { header in
            var metadata = header["__metadata__"] as! [String: String]
            metadata["step"] = String(Int.max)
            header["__metadata__"] = metadata
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: resume))
        let message =
            CommandTests.message(
                ["train", "--resume", "--epochs", "2", "--output", out] + CommandTests.tinyData + CommandTests.tinyModel
            ) ?? ""
        #expect(message.contains("step count") && message.contains("impossible"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: resume)) == before)
    }

    @Test("verify-reference fails a reference holding NaN, and refuses a negative category")
    func damagedReference() throws {
        let source = RealDataCommandTests.fixtures.appendingPathComponent(
            "../../GLIDNTests/Fixtures/reference/glidn_video.safetensors"
        ).standardized
        let path = CommandTests.folder("damaged.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.copyItem(atPath: source.path, toPath: path)
        try Self.patchFirst(path, tensor: "output.h0", bytes: [0x00, 0x00, 0xC0, 0x7F])  // NaN
        #expect(throws: (any Error).self) { try CommandTests.run(["verify-reference", path]) }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: source.path, toPath: path)
        try Self.patchFirst(path, tensor: "input.categories", bytes: [0xFF, 0xFF, 0xFF, 0xFF])  // -1
        #expect(CommandTests.message(["verify-reference", path])?.contains("negative") == true)
    }

    @Test(
        "outputs never destroy: the command's own input, a link, a FIFO and a device are refused, and left as they were"
    )
    func outputs() throws {
        let out = CommandTests.folder("outputs")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", out] + CommandTests.tinyData + CommandTests.tinyModel)
        let checkpoint = out + "/best.safetensors"
        let original = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        let predict = ["predict", "--checkpoint", checkpoint] + CommandTests.tinyData
        #expect(CommandTests.message(predict + ["--output", checkpoint])?.contains("also an input") == true)
        let link = out + "/link.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: checkpoint)
        #expect(CommandTests.message(predict + ["--output", link])?.contains("also an input") == true)
        let target = out + "/elsewhere.txt"
        try "keep".write(toFile: target, atomically: true, encoding: .utf8)
        let otherLink = out + "/other-link.txt"
        try FileManager.default.createSymbolicLink(atPath: otherLink, withDestinationPath: target)
        #expect(CommandTests.message(predict + ["--output", otherLink])?.contains("a symbolic link") == true)
        let fifo = out + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(CommandTests.message(predict + ["--output", fifo])?.contains("a FIFO") == true)
        #expect(CommandTests.message(predict + ["--output", "/dev/null"])?.contains("a device") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == original)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        // An output folder that cannot be written is found before any training.
        #expect(
            CommandTests.message(["train", "--output", "/proc/glidn-run"] + CommandTests.tinyData)?.contains(
                "cannot write into") == true)
    }

    @Test("degenerate data: a header-only annotation file, no validation clips, an empty split")
    func degenerate() throws {
        let out = CommandTests.folder("degenerate")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let csv = out + "/header.csv"
        try "id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length\n".write(
            toFile: csv, atomically: true, encoding: .utf8)
        try "".write(toFile: out + "/empty.txt", atomically: true, encoding: .utf8)
        #expect(
            CommandTests.message(["evaluate-submission", "--annotations", csv, "--submission", out + "/empty.txt"])?
                .contains("nothing to score") == true)
        let run = out + "/run"
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", run] + CommandTests.tinyData + CommandTests.tinyModel + [
                "--validation-clips", "0",
            ])
        let message =
            CommandTests.message(
                ["evaluate", "--checkpoint", run + "/best.safetensors", "--split", "validation"]
                    + CommandTests.tinyData + ["--validation-clips", "0"]) ?? ""
        #expect(message.contains("no clips") || message.contains("no validation"), "\(message)")
    }
}
