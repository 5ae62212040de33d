import Foundation
import GLIDN
import GLIDNCLI
import NN
import Testing

/// `glidn train --teacher`: a student taught by a model that has seen the whole video.
@Suite("Training with a teacher", .serialized)
struct TeacherCommandTests {
    static let data = ["--dataset", "cad120-gt", "--data", HonestScoreTests.fixture, "--validation-fraction", "0.5"]

    static func header(_ path: String) throws -> (names: [String], metadata: [String: String]) {
        let file = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: path))
        return (file.names, file.metadata)
    }

    @Test("--teacher auto trains the offline teacher first, then the student; the student's file holds no teacher")
    func auto() throws {
        let out = CommandTests.folder("teacher-auto")
        defer { try? FileManager.default.removeItem(atPath: out) }
        func train(epochs: Int, into folder: String) throws {
            try CommandTests.run(
                [
                    "train", "--epochs", "\(epochs)", "--output", folder, "--task", "anticipation", "--teacher", "auto",
                    "--teacher-distill", "states",
                ] + Self.data + CommandTests.tinyModel)
        }
        try train(epochs: 2, into: out)
        // The teacher: the detection recipe's model, in OUT/teacher.
        let teacher = try Self.header(out + "/teacher/best.safetensors")
        #expect(teacher.metadata["config"]?.contains("\"temporal_context\":\"video\"") == true)
        // The student: its own weights only; it names its teacher.
        let student = try Self.header(out + "/best.safetensors")
        #expect(!student.names.contains { $0.hasPrefix("teaching.") || $0.hasPrefix("teacher") }, "\(student.names)")
        #expect(student.names.allSatisfy { !$0.contains("projection") })
        #expect(student.metadata["teacher"]?.hasPrefix("auto: \(out)/teacher/best.safetensors (CRC-32C ") == true)
        // The scheme's projection trains with the student and is kept for --resume only.
        #expect(try Self.header(out + "/resume.safetensors").names.contains("teaching.projection.weight"))
        let metrics = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("\"teacher_logits\"") && metrics.contains("\"teacher_states\""))
        // Longer: both runs continue, the teacher's finished epochs are not trained again.
        try CommandTests.run(["train", "--resume", "--epochs", "3", "--output", out])
        let lines = try String(contentsOfFile: out + "/teacher/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        // Stopped after two epochs and resumed, the student ends with the weights of three epochs
        // in one go, the projection's too (no gradient of it may carry from one step to the next).
        let straight = CommandTests.folder("teacher-auto-straight")
        defer { try? FileManager.default.removeItem(atPath: straight) }
        try train(epochs: 3, into: straight)
        for file in ["/epoch-003.safetensors", "/resume.safetensors"] {
            let (a, b) = (try RunFileTrustTests.floats(out + file), try RunFileTrustTests.floats(straight + file))
            #expect(a.keys.sorted() == b.keys.sorted() && !a.isEmpty)
            for (name, values) in a {
                #expect(values == b[name], "\(file) \(name) differs")
            }
        }
        // The student evaluates like any checkpoint.
        let scores = try HonestScoreTests.evaluate(["--checkpoint", out + "/best.safetensors"])
        #expect(scores["clips"] as? Int ?? 0 > 0)
    }

    @Test("--teacher-folds 2: two cross-fitted teachers, each without half the clips, both named by the student")
    func crossFitted() throws {
        let out = CommandTests.folder("teacher-folds")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let folds = [
            "train", "--epochs", "1", "--output", out, "--online", "--teacher", "auto", "--teacher-folds", "2",
        ]
        // One training video (the fixture's default split): a teacher would have none left.
        let oneVideo = CommandTests.message(folds + Self.data + CommandTests.tinyModel) ?? ""
        #expect(oneVideo.contains("--teacher-folds 2: the training set has 1 whole clip;"), "\(oneVideo)")
        try CommandTests.run(folds + Self.data + ["--validation-fraction", "0"] + CommandTests.tinyModel)
        for k in 1...2 {
            let teacher = try Self.header(out + "/teacher-\(k)/best.safetensors")
            #expect(teacher.metadata["config"]?.contains("\"temporal_context\":\"video\"") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/teacher"))
        let named = try Self.header(out + "/best.safetensors").metadata["teacher"] ?? ""
        #expect(
            named.contains(out + "/teacher-1/best.safetensors") && named.contains(out + "/teacher-2/best.safetensors"))
    }

    @Test("--teacher CHECKPOINT: a detection model teaches an online student")
    func checkpoint() throws {
        let teacher = CommandTests.folder("teacher-detection")
        let out = CommandTests.folder("teacher-student")
        defer {
            try? FileManager.default.removeItem(atPath: teacher)
            try? FileManager.default.removeItem(atPath: out)
        }
        try CommandTests.run(["train", "--epochs", "1", "--output", teacher] + Self.data + CommandTests.tinyModel)
        try CommandTests.run(
            [
                "train", "--epochs", "1", "--output", out, "--task", "online", "--teacher",
                teacher + "/best.safetensors",
                "--teacher-distill", "relations",
            ] + Self.data + CommandTests.tinyModel)
        #expect(try Self.header(out + "/best.safetensors").metadata["teacher"] == teacher + "/best.safetensors")
        let metrics = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("\"teacher_relations\""))
    }

    @Test(
        "clear errors: no teacher for detection, a missing checkpoint, a scheme without a teacher, relations without a global graph"
    )
    func errors() throws {
        let out = CommandTests.folder("teacher-errors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let base = ["train", "--epochs", "1", "--output", out] + Self.data + CommandTests.tinyModel
        let detection = CommandTests.message(base + ["--teacher", "auto"]) ?? ""
        #expect(
            detection.contains("already sees everything") && detection.contains("anticipation or online"),
            "\(detection)")
        let missing =
            CommandTests.message(base + ["--task", "online", "--teacher", out + "/nothing.safetensors"]) ?? ""
        #expect(missing.contains("no such checkpoint"), "\(missing)")
        let alone = CommandTests.message(base + ["--task", "online", "--teacher-distill", "states"]) ?? ""
        #expect(alone.contains("--teacher-distill needs a teacher"), "\(alone)")
        let unknown =
            CommandTests.message(base + ["--task", "online", "--teacher", "auto", "--teacher-distill", "x"]) ?? ""
        #expect(unknown.contains("logits, states, relations"), "\(unknown)")
        let pooled =
            CommandTests.message(
                base + [
                    "--task", "online", "--teacher", "auto", "--teacher-distill", "relations", "--variant", "pooled",
                ]) ?? ""
        #expect(pooled.contains("no global graph layers"), "\(pooled)")
    }

    @Test("synthetic --online: prefixes taught by a whole-clip teacher; evaluate reports the mAP of each prefix")
    func syntheticPrefixes() throws {
        let out = CommandTests.folder("teacher-synthetic")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let small = ["--train-clips", "12", "--validation-clips", "4", "--test-clips", "4"]
        try CommandTests.run(
            ["train", "--dataset", "synthetic", "--online", "--teacher", "auto", "--epochs", "1", "--output", out]
                + small + CommandTests.tinyModel)
        let metrics = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("\"teacher_logits\"") && metrics.contains("\"mAP_at_50\""))
        let scores = try HonestScoreTests.evaluate(["--checkpoint", out + "/best.safetensors"])
        for p in [25, 50, 75, 100] { #expect(scores["mAP_at_\(p)"] is Double, "mAP_at_\(p)") }
        #expect(scores["clips"] as? Int == 16)
        let contradiction =
            CommandTests.message(
                ["train", "--dataset", "synthetic", "--online", "--task", "video", "--output", out + "-x"]) ?? ""
        #expect(contradiction.contains("--online is --task online"), "\(contradiction)")
    }

    @Test("predict --online streams each segment with its update time; an offline checkpoint is refused")
    func streaming() throws {
        let out = CommandTests.folder("teacher-stream")
        let file = CommandTests.folder("teacher-stream.jsonl")
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: file)
        }
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", out, "--online"] + Self.data + CommandTests.tinyModel)
        try CommandTests.run(
            ["predict", "--online", "--checkpoint", out + "/best.safetensors", "--format", "jsonl", "--output", file])
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(!objects.isEmpty && objects.allSatisfy { ($0["seconds"] as? Double ?? 0) > 0 })
        let entities = objects.flatMap { $0["entities"] as? [[String: Any]] ?? [] }
        #expect(entities.contains { $0["segment"] as? Int == 1 } && entities.allSatisfy { $0["top"] != nil })
        let detection = CommandTests.folder("teacher-stream-offline")
        defer { try? FileManager.default.removeItem(atPath: detection) }
        try CommandTests.run(["train", "--epochs", "1", "--output", detection] + Self.data + CommandTests.tinyModel)
        let refused =
            CommandTests.message(["predict", "--online", "--checkpoint", detection + "/best.safetensors"]) ?? ""
        #expect(refused.contains("--task online or anticipation"), "\(refused)")
    }
}
