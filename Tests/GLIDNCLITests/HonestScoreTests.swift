import Foundation
import GLIDN
import GLIDNCLI
import HOIData
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
        // The page says which split and which task it shows.
        let html = try #require(reportAdded.html(title: "t", command: "c"))
        #expect(
            html.contains("detection task; scores of the validation split")
                && html.contains("validation sub-activity F1 per class") && !html.contains("test sub-activity"),
            "the report names the split")
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

    @Test("--model names a pretrained model that ships in the repository; unknown names list the models")
    func pretrained() throws {
        let out = CommandTests.folder("pretrained.jsonl")
        defer { try? FileManager.default.removeItem(atPath: out) }
        for name in PretrainedModels.all.map(\.name) {
            try CommandTests.run([
                "predict", "--model", name, "--dataset", "cad120-gt", "--data", Self.fixture, "--format", "jsonl",
                "--output", out,
            ])
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("\"segment\":") }, "\(name)")
        }
        let unknown = CommandTests.message(["predict", "--model", "cad120-everything"]) ?? ""
        #expect(unknown.contains("not a pretrained model") && unknown.contains("cad120-detection"), "\(unknown)")
        #expect(
            CommandTests.message(["predict", "--model", "cad120-detection", "--checkpoint", "x.safetensors"])?
                .contains("exclude each other") == true)
    }

    @Test("--fold all trains and scores each subject held out, and writes the mean ± std over the folds")
    func foldAll() throws {
        let out = CommandTests.folder("folds")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = ["--dataset", "cad120-gt", "--data", Self.fixture]
        try CommandTests.run(
            ["train", "--fold", "all", "--epochs", "1", "--output", out] + data + CommandTests.tinyModel)
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: out + "/cross-validation.json"))) as! [String: Any]
        let folds = summary["folds"] as! [[String: Any]]
        #expect(folds.count >= 2 && (summary["mean"] as? [String: Double])?["mean_f1"] != nil)
        for fold in folds {
            let k = fold["fold"] as! Int
            #expect(FileManager.default.fileExists(atPath: out + "/fold-\(k)/best.safetensors"))
            // Each fold's scores are those of its held-out subject.
            let scores = try Self.evaluate(["--checkpoint", out + "/fold-\(k)/best.safetensors"])
            #expect(scores["split"] as? String == "test" && scores["clips"] as? Int == fold["clips"] as? Int)
        }
        let bad = CommandTests.message(["train", "--fold", "1,9", "--output", out + "-x"] + data) ?? ""
        #expect(bad.contains("'9' is not one of the data's folds"), "\(bad)")
    }

    @Test("--video-id picks one video's clips in every data set, keeping the stored data and split")
    func oneVideo() throws {
        let out = CommandTests.folder("one-video.jsonl")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = ["--dataset", "cad120-gt", "--data", Self.fixture]
        try CommandTests.run(
            ["predict", "--model", "cad120-detection", "--format", "jsonl", "--output", out] + data)
        let all = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let first = try #require(
            (try JSONSerialization.jsonObject(with: Data(all[0].utf8)) as? [String: Any])?["clip"] as? String)
        try CommandTests.run(
            ["predict", "--model", "cad120-detection", "--format", "jsonl", "--output", out, "--video-id", first]
                + data)
        let one = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(all.count >= 2 && one.count == 1 && one[0].contains(first))
        let missing =
            CommandTests.message(["predict", "--model", "cad120-detection", "--video-id", "nope"] + data) ?? ""
        #expect(missing.contains("--video-id nope: no clip of that video"), "\(missing)")
        // The synthetic benchmark too: a test clip by its id.
        let run = CommandTests.folder("one-video-run")
        defer { try? FileManager.default.removeItem(atPath: run) }
        try CommandTests.run(
            ["train", "--epochs", "1", "--output", run] + CommandTests.tinyData + CommandTests.tinyModel)
        let scores = try Self.evaluate(["--checkpoint", run + "/best.safetensors", "--video-id", "test-3"])
        #expect(scores["clips"] as? Int == 1 && scores["split"] as? String == "test")
    }

    @Test(
        "entity predictions name the category and the truth; anticipation names the segment predicted and skips the last"
    )
    func entityPredictions() throws {
        let out = CommandTests.folder("entities.jsonl")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let data = ["--dataset", "cad120-gt", "--data", Self.fixture]
        func entries(_ model: String, _ extra: [String]) throws -> [[String: Any]] {
            try CommandTests.run(["predict", "--model", model, "--format", "jsonl", "--output", out] + data + extra)
            return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").flatMap { line in
                let clip = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return (clip["entities"] as! [[String: Any]]).map { $0.merging(["clip": clip["clip"]!]) { a, _ in a } }
            }
        }
        let detected = try entries("cad120-detection", ["--all-scores"])
        #expect(detected.allSatisfy { ($0["category"] as? String).map { !["human", "object"].contains($0) } == true })
        #expect(
            detected.contains { $0["truth"] != nil }
                && detected.allSatisfy { ($0["scores"] as? [String: Double])?.count ?? 0 > 1 })
        #expect(detected.allSatisfy { $0["after_segment"] == nil })
        // Each names the frames of the original video its segment spans.
        #expect(detected.allSatisfy { ($0["frames"] as? [Int]).map { $0.count == 2 && $0[0] <= $0[1] } == true })
        let anticipated = try entries("cad120-anticipation", ["--task", "anticipation"])
        #expect(!anticipated.isEmpty)
        #expect(anticipated.allSatisfy { ($0["segment"] as! Int) == ($0["after_segment"] as! Int) + 1 })
        // The frames are the predicted segment's: those detection names for that segment.
        let framesOf = Dictionary(
            detected.map { ("\($0["clip"]!)/\($0["segment"]!)", $0["frames"] as! [Int]) },
            uniquingKeysWith: { a, _ in a })
        #expect(anticipated.allSatisfy { ($0["frames"] as? [Int]) == framesOf["\($0["clip"]!)/\($0["segment"]!)"] })
        // Per video, the last segment has no next one: no prediction is about a segment past the end.
        let maximum = detected.map { $0["segment"] as! Int }.max()!
        #expect(anticipated.allSatisfy { ($0["segment"] as! Int) <= maximum })
    }

    @Test("Charades from the CSVs alone: the error says how feature files are made")
    func charadesWithoutFeatures() throws {
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../HOIDataTests/Fixtures/charades_small.csv").standardized.path
        let message = CommandTests.message(["train", "--dataset", "charades", "--annotations", csv]) ?? ""
        #expect(message.contains("needs --data") && message.contains("glidn extract"), "\(message)")
        let empty = CommandTests.folder("no-features")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none =
            CommandTests.message(["train", "--dataset", "charades", "--data", empty, "--annotations", csv]) ?? ""
        #expect(none.contains("have no feature file") && none.contains("glidn extract"), "\(none)")
    }

    @Test("evaluate-submission --subset scores the videos a partial submission covers, and says how many it left out")
    func submissionSubset() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../HOIDataTests/Fixtures").standardized
        let csv = fixtures.appendingPathComponent("charades_small.csv").path
        let videos = try CharadesAnnotations.read(contentsOf: URL(fileURLWithPath: csv)).filter { !$0.actions.isEmpty }
        let partial = CommandTests.folder("partial.txt")
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let row = Array(repeating: "0.5", count: CharadesAnnotations.classCount).joined(separator: " ")
        try (videos[0].id + " " + row + "\n").write(toFile: partial, atomically: true, encoding: .utf8)
        let refused =
            CommandTests.message(["evaluate-submission", "--annotations", csv, "--submission", partial]) ?? ""
        #expect(refused.contains("has no scores for") && refused.contains("--subset"), "\(refused)")
        try CommandTests.run(["evaluate-submission", "--annotations", csv, "--submission", partial, "--subset"])
    }

    @Test("the library's warnings reach the user once, as the tool's own 'warning:' lines")
    func warningsOnce() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../HOIDataTests/Fixtures").standardized
        let out = CommandTests.folder("warn-once")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CommandTests.tool(
            [
                "train", "--dataset", "charades", "--data", fixtures.appendingPathComponent("charades_features").path,
                "--annotations", fixtures.appendingPathComponent("charades_small.csv").path, "--skip-missing",
                "--validation-fraction", "0", "--epochs", "1", "--output", out,
            ] + CommandTests.tinyModel)
        let warnings = result.err.split(separator: "\n").filter { $0.hasPrefix("warning: skipped") }
        #expect(result.status == 0 && warnings.count == 1, "\(result.err)")
    }

    @Test("export-inputs writes the chosen clips as the twin's input arrays, with the ids")
    func exportInputs() throws {
        let out = CommandTests.folder("inputs.npz")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CommandTests.run([
            "export-inputs", "--model", "cad120-detection", "--dataset", "cad120-gt", "--data", Self.fixture,
            "--output", out,
        ])
        let npz = try NPZReader(contentsOf: URL(fileURLWithPath: out))
        let features = try npz.array("features")
        #expect(features.shape.count == 4 && features.shape[3] == 13)
        let (b, n) = (features.shape[0], features.shape[2])
        #expect(try npz.array("mask").shape == Array(features.shape.prefix(3)))
        #expect(try npz.array("categories").shape == [b, n])
        #expect(try npz.array("human_labels").shape.first == b && npz.array("object_labels").shape.first == b)
        let ids = String(decoding: (try npz.array("clip_ids").integers ?? []).map { UInt8($0) }, as: UTF8.self)
        #expect(ids.split(separator: "\n").count == b)
    }

    @Test("cad120-gt --task online: trained causally on the segments' own labels; an anticipation scoring is refused")
    func onlineDetection() throws {
        let out = CommandTests.folder("online")
        let predictions = out + ".jsonl"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: predictions)
        }
        try CommandTests.run(
            [
                "train", "--dataset", "cad120-gt", "--data", Self.fixture, "--task", "online", "--epochs", "1",
                "--validation-fraction", "0.5", "--output", out,
            ] + CommandTests.tinyModel)
        let best = out + "/best.safetensors"
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: best)).prefix(8192), as: UTF8.self)
        #expect(header.contains(#"temporal_context\":\"causal"#), "the global graph is causal")
        try CommandTests.run(["predict", "--checkpoint", best, "--format", "jsonl", "--output", predictions])
        let text = try String(contentsOfFile: predictions, encoding: .utf8)
        #expect(text.contains("\"segment\":0") && !text.contains("after_segment"))
        let refused = CommandTests.message(["evaluate", "--checkpoint", best, "--task", "anticipation"]) ?? ""
        #expect(refused.contains("trained for online detection"), "\(refused)")
    }
}
