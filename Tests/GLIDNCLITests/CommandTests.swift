import ArgumentParser
import Foundation
import GLIDN
import GLIDNCLI
import HOIData
import TestSupport
import Testing

/// The commands run in-process, as `glidn …` would run them.
@Suite("The glidn command line", .serialized)
struct CommandTests {
    static let tinyData = [
        "--train-clips", "16", "--validation-clips", "8", "--test-clips", "8", "--frames", "21",
        "--feature-size", "4",
    ]
    static let tinyModel = [
        "--hidden", "8", "--heads", "2", "--local-layers", "1", "--global-layers", "1", "--batch-size", "8",
    ]

    static func run(_ arguments: [String]) throws {
        var command = try GLIDNCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// The message the tool prints for a failure.
    static func message(_ arguments: [String]) -> String? {
        do {
            try run(arguments)
            return nil
        } catch {
            return GLIDNCommand.message(for: error)
        }
    }

    static func folder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-cli-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    @Test("bad options get a clear message before any work")
    func badOptions() {
        #expect(Self.message(["train", "--epochs", "0"])?.contains("epochs must lie in 1…") == true)
        #expect(
            Self.message(["train", "--hidden", "10", "--heads", "4"])?.contains(
                "--hidden 10 must be a multiple of --heads 4") == true)
        #expect(Self.message(["train", "--variant", "huge"])?.contains("huge") == true)
        #expect(Self.message(["train", "--dropout", "1.5"])?.contains("--dropout must lie in [0, 1), got 1.5") == true)
        #expect(
            Self.message(["demo", "--runs", "glidn:sideways"])?.contains("'sideways' is not a distillation scheme")
                == true)
        let frames = Self.message(["train", "--frames", "5"]) ?? ""
        #expect(
            frames.contains("5 frames (--frames) cannot hold 3 actions")
                && frames.contains("--frames must be at least 21"))
        // A negative number is read as the option's value, then refused with the rule it breaks.
        #expect(Self.message(["train", "--lambda-kd", "-1"])?.contains("lambda-kd") == true)
        #expect(Self.message(["train", "--lr", "-0.1"])?.contains("--lr cannot be negative, got -0.1") == true)
        #expect(
            Self.message(["train", "--dataset", "cad120-lighten", "--validation-fraction", "-0.1"])?.contains(
                "--validation-fraction cannot be negative, got -0.1") == true)
    }

    /// Runs the built `glidn` (beside this test binary) and returns its status, output and errors.
    static func tool(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "glidn")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let (out, err) = (Pipe(), Pipe())
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }

    @Test("the tool: a runtime error prints its message without usage and exits 1; --help prints help and exits 0")
    func toolExits() throws {
        let failed = try Self.tool(["evaluate", "--checkpoint", "/nonexistent/best.safetensors"])
        #expect(
            failed.status == 1 && failed.err.contains("Error: no checkpoint at /nonexistent/best.safetensors"),
            "\(failed)")
        #expect(!failed.err.contains("Usage") && !failed.out.contains("Usage"))
        let mistake = try Self.tool(["train", "--epochs", "zero"])
        #expect(
            mistake.status != 0 && mistake.err.contains("Usage: glidn train"),
            "a mistake in the arguments shows the usage")
        let bare = try Self.tool([])
        #expect(bare.out.contains("SUBCOMMANDS") && !bare.err.contains("Error"), "\(bare)")
        let help = try Self.tool(["demo", "--help"])
        #expect(
            help.status == 0 && help.out.contains("OVERVIEW") && !help.out.contains("Error")
                && !help.err.contains("Error"), "\(help)")
    }

    @Test("an unreadable or missing checkpoint is named in the error")
    func badCheckpoint() throws {
        #expect(
            Self.message(["evaluate", "--checkpoint", "/nonexistent/best.safetensors"])?.contains(
                "no checkpoint at /nonexistent/best.safetensors") == true)
        let path = Self.folder("corrupt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 1, 2]).write(to: URL(fileURLWithPath: path))
        let text = Self.message(["evaluate", "--checkpoint", path]) ?? ""
        #expect(text.contains(path) && text.contains("header"), "\(text)")
    }

    @Test(
        "train, then evaluate and predict with its checkpoint; a second train refuses to overwrite; --resume continues")
    func trainEvaluatePredict() throws {
        let out = Self.folder("run")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Self.run(["train", "--epochs", "2", "--output", out] + Self.tinyData + Self.tinyModel)
        for file in [
            "epoch-001.safetensors", "epoch-002.safetensors", "best.safetensors", "resume.safetensors", "metrics.jsonl",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let lines = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("\"validation\"") && lines[0].contains("mAP"))
        try Self.run(["evaluate", "--checkpoint", out + "/best.safetensors"] + Self.tinyData)
        try Self.run(
            ["predict", "--checkpoint", out + "/best.safetensors", "--format", "jsonl", "--output", out + "/p.jsonl"]
                + Self.tinyData)
        let predictions = try String(contentsOfFile: out + "/p.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(predictions.count == 8 && predictions[0].contains("\"top\""))
        // --format json: one document, the same objects in an array.
        try Self.run(
            ["predict", "--checkpoint", out + "/best.safetensors", "--format", "json", "--output", out + "/p.json"]
                + Self.tinyData)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/p.json")))
        #expect((document as? [[String: Any]])?.count == 8)
        // --format csv: a header, then a row per clip and rank.
        try Self.run(
            [
                "predict", "--checkpoint", out + "/best.safetensors", "--format", "csv", "--top", "2", "--output",
                out + "/p.csv",
            ]
                + Self.tinyData)
        let rows = try String(contentsOfFile: out + "/p.csv", encoding: .utf8).split(separator: "\n")
        #expect(
            rows.first == "clip,segment,entity,kind,category,group,rank,label,index,score,truth"
                && rows.count == 1 + 8 * 2)
        #expect(rows.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 11 })
        try Self.run(
            [
                "predict", "--checkpoint", out + "/best.safetensors", "--format", "charades", "--output",
                out + "/sub.txt",
            ] + Self.tinyData)
        let row = try String(contentsOfFile: out + "/sub.txt", encoding: .utf8).split(separator: "\n")[0].split(
            separator: " ")
        #expect(row.count == 1 + 16 && row[0] == "test-0")

        #expect(
            Self.message(["train", "--epochs", "2", "--output", out] + Self.tinyData + Self.tinyModel)?.contains(
                "already holds a run") == true)
        try Self.run(["train", "--epochs", "3", "--resume", "--output", out] + Self.tinyData + Self.tinyModel)
        #expect(try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").count == 3)
        #expect(
            Self.message(["train", "--epochs", "3", "--resume", "--output", out, "--hidden", "4"] + Self.tinyData)?
                .contains("--hidden 4 (the stored run: 8)") == true)
        // The entity task on a video checkpoint is refused.
        #expect(
            Self.message(["evaluate", "--checkpoint", out + "/best.safetensors", "--task", "entity"] + Self.tinyData)?
                .contains("video task") == true)
    }

    @Test(
        "resume and evaluate remember the run: its options, its data; conflicts and a shorter run are refused by name")
    func commandsRemember() throws {
        let out = Self.folder("remember")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Self.run(["train", "--epochs", "2", "--output", out, "--lr", "0.02"] + Self.tinyData + Self.tinyModel)
        let metrics = {
            try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").count
        }
        // No option repeated: the stored run goes on with its own options, and a larger --epochs extends it.
        try Self.run(["train", "--resume", "--output", out])
        #expect(try metrics() == 2)
        try Self.run(["train", "--resume", "--output", out, "--epochs", "3", "--lr", "0.02", "--hidden", "8"])
        #expect(try metrics() == 3)
        let stored = try TrainingRun.stored(in: URL(fileURLWithPath: out))
        #expect(stored.options.epochs == 3 && stored.options.learningRate == 0.02 && stored.config.hidden == 8)
        let conflict =
            Self.message(["train", "--resume", "--output", out, "--hidden", "16", "--test-clips", "9", "--lr", "0.5"])
            ?? ""
        for named in [
            "--hidden 16 (the stored run: 8)", "--test-clips 9 (the stored run: 8)", "--lr 0.5 (the stored run: 0.02)",
        ] {
            #expect(conflict.contains(named), "\(conflict)")
        }
        #expect(
            Self.message(["train", "--resume", "--output", out, "--epochs", "2"])?.contains(
                "--epochs 2 is fewer than the stored run's 3") == true)
        #expect(try metrics() == 3, "refused resumes change nothing")

        // evaluate without data options scores the data the checkpoint was trained for.
        let best = out + "/best.safetensors"
        let scored = { (extra: [String]) in
            try? FileManager.default.removeItem(atPath: out + "/scores.json")
            try Self.run(["evaluate", "--checkpoint", best, "--output", out + "/scores.json"] + extra)
            return try String(contentsOfFile: out + "/scores.json", encoding: .utf8)
        }
        let remembered = try scored([])
        #expect(remembered == (try scored(Self.tinyData)))
        #expect(remembered != (try scored(["--test-clips", "12"])), "options given still change the data")
        let (model, metadata) = try ModelCheckpoint.load(URL(fileURLWithPath: best))
        _ = model
        #expect(metadata["data_options"]?.contains("\"test_clips\":8") == true)
    }

    @Test("early stopping: --patience ends the run once the validation metric stops improving; resume keeps it ended")
    func patience() throws {
        let out = Self.folder("patience")
        defer { try? FileManager.default.removeItem(atPath: out) }
        // A learning rate too small to change the predictions: the validation mAP never beats epoch 1.
        try Self.run(
            ["train", "--epochs", "20", "--patience", "2", "--lr", "1e-9", "--warmup", "0", "--output", out]
                + Self.tinyData + Self.tinyModel)
        let lines = { try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").count }
        #expect(try lines() == 3)
        try Self.run(["train", "--resume", "--output", out])
        #expect(try lines() == 3)
        #expect(Self.message(["train", "--patience", "0"])?.contains("--patience must lie in 1…") == true)
    }

    @Test("glidn report: curves, per-class scores, confusion matrices and attention for any runs on the same data")
    func report() throws {
        let out = Self.folder("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        for (name, variant) in [("local", "local"), ("glidn", "glidn")] {
            try Self.run(
                ["train", "--task", "entity", "--variant", variant, "--epochs", "2", "--output", out + "/" + name]
                    + Self.tinyData + Self.tinyModel)
        }
        try Self.run(["report", out + "/local", out + "/glidn", "--output", out + "/report.html"])
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        for part in [
            "<svg", "training loss", "validation mean_f1", "sub-activity F1 per class", "Confusion matrices",
            "glidn: affordance", "Local attention",
        ] {
            #expect(html.contains(part), "\(part)")
        }
        try Self.run(["train", "--epochs", "1", "--output", out + "/video"] + Self.tinyData + Self.tinyModel)
        #expect(
            Self.message(["report", out + "/local", out + "/video", "--output", out + "/mixed.html"])?.contains(
                "same data") == true)
        #expect(Self.message(["report", out, "--output", out + "/none.html"])?.contains("is not a run folder") == true)
    }

    @Test("the demo writes its table as JSON and a self-contained HTML report")
    func demo() throws {
        let out = Self.folder("demo")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Self.run(["demo", "--epochs", "1", "--output", out] + Self.tinyData + Self.tinyModel)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
            as? [String: [String: Any]]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["pooled", "local", "global", "glidn none", "glidn relational"])
        #expect(json?["glidn relational"]?["mAP"] is Double)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Local attention"))
        #expect(!html.contains("<script") && !html.contains("src=\"http"), "no scripts, nothing fetched")
    }
}

/// The real-data paths of the command line, on the shared files and the reader fixtures.
@Suite("The command line on real data formats", .serialized)
struct RealDataCommandTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared"
    ).standardized
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../HOIDataTests/Fixtures"
    ).standardized

    @Test("CAD-120: train on LIGHTEN's pickle holding out whole videos, then evaluate the checkpoint on a whole file")
    func cad120() throws {
        let out = CommandTests.folder("cad")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let file = Self.shared.appendingPathComponent("data/cad120/lighten_dev.p").path
        try CommandTests.run(
            ["train", "--dataset", "cad120-lighten", "--data", file, "--epochs", "2", "--output", out]
                + CommandTests.tinyModel)
        let metrics = try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("sub_activity_f1") && metrics.contains("affordance_f1"))
        try CommandTests.run([
            "evaluate", "--checkpoint", out + "/best.safetensors", "--dataset", "cad120-lighten", "--data", file,
        ])
        #expect(CommandTests.message(["train", "--dataset", "cad120-lighten"])?.contains("needs --data") == true)
        #expect(
            CommandTests.message([
                "train", "--dataset", "cad120-lighten", "--data", "/nonexistent.p", "--output", out + "x",
            ])?.contains("/nonexistent.p") == true)
    }

    @Test(
        "CAD-120 whole videos: train each task with the data set's recipe, evaluate every segment of a file, predict per segment"
    )
    func cad120GroundTruth() throws {
        let out = CommandTests.folder("cad-gt")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let file = Self.fixtures.appendingPathComponent("cad120_gt_small.pkl").path
        let data = ["--dataset", "cad120-gt", "--data", file, "--validation-fraction", "0"]
        for task in ["detection", "anticipation"] {
            try CommandTests.run(
                ["train"] + data + ["--task", task, "--fold", "3", "--epochs", "2", "--output", "\(out)/\(task)"])
            let checkpoint = "\(out)/\(task)/best.safetensors"
            try CommandTests.run(
                ["evaluate", "--checkpoint", checkpoint] + data + ["--task", task, "--split", "all", "--json"])
            try CommandTests.run(
                ["predict", "--checkpoint", checkpoint] + data + [
                    "--task", task, "--split", "all", "--format", "jsonl",
                    "--output", "\(out)/\(task).jsonl",
                ])
            let lines = try String(contentsOfFile: "\(out)/\(task).jsonl", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2 && lines.allSatisfy { $0.contains("\"segment\":") })
        }
        // The recipe chose the configuration (the global variant for detection) and the data its
        // temporal context: the checkpoint's configuration, JSON inside the header's JSON, says so.
        let header = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: "\(out)/detection/best.safetensors")).prefix(4096),
            as: UTF8.self)
        #expect(header.contains(#"variant\":\"global"#) && header.contains(#"temporal_context\":\"video"#), "\(header)")
        let wrong = CommandTests.message(
            ["evaluate", "--checkpoint", "\(out)/anticipation/best.safetensors"] + data + ["--task", "detection"])
        #expect(wrong?.contains("spans 'causal'") == true, "\(wrong ?? "")")
    }

    @Test("CAD-120's raw release: leave-one-subject-out training and evaluation on the held-out subject")
    func cad120Raw() throws {
        let root = URL(fileURLWithPath: CommandTests.folder("cad-raw-data"))
        let out = CommandTests.folder("cad-raw-run")
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(atPath: out)
        }
        try CAD120ReleaseWriter.write(to: root)
        #expect(
            CommandTests.message(["train", "--dataset", "cad120-raw", "--data", root.path, "--fold", "1"])?.contains(
                "no segment of subject 1") == true)
        // The one subject of this release is 3: train without a fold, then test on fold 3's held-out subject.
        try CommandTests.run(
            [
                "train", "--dataset", "cad120-raw", "--data", root.path, "--validation-fraction", "0",
                "--epochs", "1", "--output", out,
            ] + CommandTests.tinyModel)
        try CommandTests.run([
            "evaluate", "--checkpoint", out + "/best.safetensors", "--dataset", "cad120-raw", "--data", root.path,
            "--fold", "3", "--split", "test",
        ])
    }

    @Test("Charades: predict in the submission format, then score it with the official metric")
    func charadesSubmission() throws {
        let out = CommandTests.folder("charades")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let csv = Self.fixtures.appendingPathComponent("charades_small.csv").path
        let features = Self.fixtures.appendingPathComponent("charades_features").path
        #expect(
            CommandTests.message(["train", "--dataset", "charades", "--data", features, "--annotations", csv])?
                .contains("BBBB2.npz") == true)
        try CommandTests.run(
            [
                "train", "--dataset", "charades", "--data", features, "--annotations", csv, "--skip-missing",
                "--validation-fraction", "0", "--epochs", "1", "--output", out,
            ] + CommandTests.tinyModel)
        try CommandTests.run([
            "predict", "--checkpoint", out + "/best.safetensors", "--dataset", "charades", "--data", features,
            "--annotations", csv, "--skip-missing", "--format", "charades", "--output", out + "/submission.txt",
            "--split", "all",  // the training clips themselves: no held-out part here
        ])
        let lines = try String(contentsOfFile: out + "/submission.txt", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].split(separator: " ").count == 158)
        try CommandTests.run(["evaluate-submission", "--annotations", csv, "--submission", out + "/submission.txt"])
        // Prediction needs only the features: without a CSV, every <id>.npz of the folder.
        try CommandTests.run([
            "predict", "--checkpoint", out + "/best.safetensors", "--dataset", "charades", "--data", features,
            "--format", "charades", "--output", out + "/unlabelled.txt", "--split", "all",
        ])
        let files = try FileManager.default.contentsOfDirectory(atPath: features).filter { $0.hasSuffix(".npz") }
        let predicted = try String(contentsOfFile: out + "/unlabelled.txt", encoding: .utf8).split(separator: "\n")
        #expect(predicted.map { String($0.split(separator: " ")[0]) } == files.map { String($0.dropLast(4)) }.sorted())
        // Or a list of ids, in its order.
        try "CCCC3\n# a comment\n\nAAAA1\n".write(toFile: out + "/ids.txt", atomically: true, encoding: .utf8)
        try CommandTests.run([
            "predict", "--checkpoint", out + "/best.safetensors", "--dataset", "charades", "--data", features,
            "--ids", out + "/ids.txt", "--format", "charades", "--output", out + "/listed.txt",
        ])
        let listed = try String(contentsOfFile: out + "/listed.txt", encoding: .utf8).split(separator: "\n").map {
            String($0.split(separator: " ")[0])
        }
        #expect(listed == ["CCCC3", "AAAA1"])
        try "AAAA1\n../etc\n".write(toFile: out + "/bad-ids.txt", atomically: true, encoding: .utf8)
        #expect(
            CommandTests.message([
                "predict", "--checkpoint", out + "/best.safetensors", "--dataset", "charades", "--data", features,
                "--ids", out + "/bad-ids.txt",
            ])?.contains("line 2") == true)
        #expect(
            CommandTests.message([
                "train", "--dataset", "charades", "--data", features, "--epochs", "1", "--output", out + "/nolabels",
            ])?
            .contains("no clips") == true)
        // BBBB2 has no action, so the two scored videos are all the metric needs.
        let geometry = Self.fixtures.path
        try CommandTests.run(
            [
                "train", "--dataset", "charades-ag", "--data", geometry, "--annotations", csv, "--skip-missing",
                "--validation-fraction", "0", "--epochs", "1", "--output", out + "/ag",
            ] + CommandTests.tinyModel)
    }

    @Test(
        "evaluate-submission on the full official test CSV (1,863 videos) gives the mAP and WAP scikit-learn computes")
    func fullTestSubmission() throws {
        let csv = Self.shared.appendingPathComponent("data/charades/Charades_v1_test.csv")
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: Self.fixtures.appendingPathComponent(
                        "../../GLIDNTests/Fixtures/charades_full_test_expected.json"
                    ).standardized)) as? [String: Double] ?? [:]
        let videos = try CharadesAnnotations.read(contentsOf: csv)
        #expect(Double(videos.count) == expected["videos"])
        // The submission tools/charades/submission_expectation.py describes.
        var text = ""
        for (v, video) in videos.enumerated() {
            let truth = Set(video.classes)
            let scores = (0..<CharadesAnnotations.classCount).map { c -> String in
                var s = Double((v * 7919 + c * 104729) % 1_000_003) / 1_000_003
                if truth.contains(c) && v % 3 != 0 { s += 0.3 }
                return String(format: "%.6f", s)
            }
            text += video.id + " " + scores.joined(separator: " ") + "\n"
        }
        let path = CommandTests.folder("full-test-submission.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CharadesEvaluation.evaluate(
            annotations: videos, submission: try CharadesSubmission.read(contentsOf: URL(fileURLWithPath: path)),
            path: path)
        #expect(Double(result.videosEvaluated) == expected["videos_evaluated"])
        #expect(
            abs(100 * result.summary.mAP - (expected["mAP"] ?? 0)) < 1e-9,
            "\(100 * result.summary.mAP) vs \(expected["mAP"] ?? 0)")
        #expect(abs(100 * result.summary.weightedAP - (expected["WAP"] ?? 0)) < 1e-9)
        try CommandTests.run(["evaluate-submission", "--annotations", csv.path, "--submission", path, "--per-class"])
    }

    @Test("Charades classes are named by their id and official name, without the class file")
    func charadesClassNames() throws {
        let file = try String(
            contentsOf: Self.shared.appendingPathComponent("data/charades/Charades_v1_classes.txt"), encoding: .utf8)
        let official = file.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        #expect(CharadesAnnotations.classNames == official)
        #expect(CharadesAnnotations.classNames[0] == "c000 Holding some clothes")
    }
}
