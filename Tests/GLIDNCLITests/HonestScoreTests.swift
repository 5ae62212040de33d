import Foundation
import GLIDN
import GLIDNCLI
import Testing

/// A score never silently includes data the model trained on (issue "Honest scores by default").
@Suite("Scores of held-out data by default", .serialized)
struct HonestScoreTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../HOIDataTests/Fixtures/cad120_gt_small.pkl").standardized.path

    /// `evaluate --json` of `arguments`, read back.
    static func evaluate(_ arguments: [String]) throws -> [String: Any] {
        let out = CommandTests.folder("honest-evaluation.json")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(["evaluate", "--output", out] + arguments)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
    }

    @Test(
        "without --split: the held-out part (validation here, no test split), also when the training file is named again"
    )
    func heldOutByDefault() throws {
        let out = CommandTests.folder("honest")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            [
                "train", "--epochs", "1", "--output", out, "--dataset", "cad120-gt", "--data", Self.fixture,
                "--validation-fraction", "0.5",
            ] + CommandTests.tinyModel)
        let best = out + "/best.safetensors"
        let plain = try Self.evaluate(["--checkpoint", best])
        #expect(plain["split"] as? String == "validation" && plain["includes_training_data"] as? Bool == false)
        let again = try Self.evaluate(["--checkpoint", best, "--dataset", "cad120-gt", "--data", Self.fixture])
        // (the split settings are kept: naming the file again is not naming other data)
        #expect(again["split"] as? String == "validation" && again["clips"] as? Int == plain["clips"] as? Int)
        // Asked for, the training clips are scored, and the score says so.
        let all = try Self.evaluate(["--checkpoint", best, "--split", "all"])
        #expect(all["includes_training_data"] as? Bool == true && (all["clips"] as! Int) > (plain["clips"] as! Int))
        let train = try Self.evaluate(["--checkpoint", best, "--split", "train"])
        #expect(train["includes_training_data"] as? Bool == true)
        // report scores the same held-out clips.
        let report = CommandTests.folder("honest-report")
        defer { try? FileManager.default.removeItem(atPath: report) }
        var reportAdded = RunReport()
        let added = try reportAdded.add(folder: URL(fileURLWithPath: out))
        #expect(added.split == "validation" && added.evaluation.clips == plain["clips"] as? Int)
    }

    @Test("training data without a held-out part needs an explicit --split all")
    func noHeldOutPart() throws {
        let out = CommandTests.folder("honest-none")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            [
                "train", "--epochs", "1", "--output", out, "--dataset", "cad120-gt", "--data", Self.fixture,
                "--validation-fraction", "0",
            ] + CommandTests.tinyModel)
        let best = out + "/best.safetensors"
        let message = CommandTests.message(["evaluate", "--checkpoint", best]) ?? ""
        #expect(message.contains("has no held-out part") && message.contains("--split all"), "\(message)")
        #expect(CommandTests.message(["predict", "--checkpoint", best])?.contains("has no held-out part") == true)
        let all = try Self.evaluate(["--checkpoint", best, "--split", "all"])
        #expect(all["includes_training_data"] as? Bool == true)
    }

    @Test("the synthetic benchmark: its test split by default")
    func synthetic() throws {
        let out = CommandTests.folder("honest-synthetic")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", out] + CommandTests.tinyData + CommandTests.tinyModel)
        let scores = try Self.evaluate(["--checkpoint", out + "/best.safetensors"])
        #expect(scores["split"] as? String == "test" && scores["includes_training_data"] as? Bool == false)
    }

    @Test("--keep-every N keeps every Nth epoch file and the last; 0 keeps none; best and resume always")
    func keepEvery() throws {
        let out = CommandTests.folder("keep")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run(
            ["train", "--epochs", "5", "--keep-every", "2", "--output", out] + CommandTests.tinyData
                + CommandTests.tinyModel)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("epoch-") })
        #expect(files == ["epoch-002.safetensors", "epoch-004.safetensors", "epoch-005.safetensors"], "\(files)")
        try CommandTests.run(
            ["train", "--epochs", "2", "--keep-every", "0", "--output", out, "--overwrite"] + CommandTests.tinyData
                + CommandTests.tinyModel)
        let after = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(
            !after.contains { $0.hasPrefix("epoch-") } && after.contains("best.safetensors")
                && after.contains("resume.safetensors"))
    }
}
