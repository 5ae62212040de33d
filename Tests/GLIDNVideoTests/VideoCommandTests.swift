import ArgumentParser
import Foundation
import GLIDNCLI
import GLIDNVideo
import GLIDNVideoCLI
import Testing

/// The video commands run in-process, as `glidn extract …` and `glidn predict --video …` run them:
/// rendered clips with their true boxes, extracted, trained on, predicted from.
@Suite("The video commands", .serialized)
struct VideoCommandTests {
    static func video(_ arguments: [String]) throws {
        var command = try GLIDNVideoCommand.parseAsRoot(arguments)
        try command.run()
    }

    static func glidn(_ arguments: [String]) throws {
        var command = try GLIDNCommand.parseAsRoot(arguments)
        try command.run()
    }

    static func files(_ folder: URL) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    }

    /// Six training and two test clips of the synthetic benchmark as MP4s with their boxes.
    static func rendered(_ name: String) throws -> URL {
        let folder = VideoFixtures.scratch(name)
        try video([
            "render-synthetic", "--output", folder.path, "--train-clips", "6", "--validation-clips", "0",
            "--test-clips", "2", "--frames", "21", "--max-actions", "1",
        ])
        return folder
    }

    static func extractArguments(_ renders: URL, output: URL) -> [String] {
        [
            "extract", "--output", output.path, "--boxes", renders.path, "--classes",
            renders.appendingPathComponent("classes.txt").path,
        ]
    }

    @Test("extract: one bad video fails alone, with a non-zero exit; the others are written, and kept on a rerun")
    func extractCollection() throws {
        let renders = try Self.rendered("collection")
        defer { try? FileManager.default.removeItem(at: renders) }
        let bad = renders.appendingPathComponent("train-9.mp4")
        try "not a video".write(to: bad, atomically: true, encoding: .utf8)
        try "1,0,1,1,5,5,1,0\n".write(
            to: renders.appendingPathComponent("train-9.csv"), atomically: true, encoding: .utf8)
        let videos = try FileManager.default.contentsOfDirectory(atPath: renders.path).filter { $0.hasSuffix(".mp4") }
            .sorted()
        #expect(videos.count == 9)
        let output = VideoFixtures.scratch("collection-out")
        defer { try? FileManager.default.removeItem(at: output) }
        let arguments =
            Self.extractArguments(renders, output: output) + videos.map { renders.appendingPathComponent($0).path }
        #expect(throws: ExitCode.failure) { try Self.video(arguments) }
        let written = Self.files(output)
        #expect(written.filter { $0.hasSuffix(".npz") }.count == 8 && !written.contains("train-9.npz"))
        #expect(written.filter { $0.hasSuffix(".tracks.csv") }.count == 8)
        #expect(written.isSuperset(of: ["extraction.json", "categories.txt"]))
        // A rerun keeps what is there (nothing rewritten: the modification dates stand).
        let npz = output.appendingPathComponent("train-0.npz")
        let before = try FileManager.default.attributesOfItem(atPath: npz.path)[.modificationDate] as? Date
        try FileManager.default.removeItem(at: bad)
        try Self.video(
            Self.extractArguments(renders, output: output)
                + videos.filter { $0 != "train-9.mp4" }.map { renders.appendingPathComponent($0).path })
        #expect(try FileManager.default.attributesOfItem(atPath: npz.path)[.modificationDate] as? Date == before)
    }

    @Test("extract --shard i/n: the shares are disjoint and together are the collection")
    func shards() throws {
        let renders = try Self.rendered("shards")
        defer { try? FileManager.default.removeItem(at: renders) }
        let videos = try FileManager.default.contentsOfDirectory(atPath: renders.path).filter { $0.hasSuffix(".mp4") }
        var shares: [Set<String>] = []
        let pictures = VideoFixtures.scratch("shard-pictures")
        defer { try? FileManager.default.removeItem(at: pictures) }
        for i in 1...3 {
            let output = VideoFixtures.scratch("shard-\(i)")
            defer { try? FileManager.default.removeItem(at: output) }
            try Self.video(
                Self.extractArguments(renders, output: output) + ["--shard", "\(i)/3", "--pictures", pictures.path]
                    + videos.map { renders.appendingPathComponent($0).path })
            shares.append(Set(Self.files(output).filter { $0.hasSuffix(".npz") }))
        }
        // --pictures: each video with its tracks drawn, one frame per sampled frame (21 frames at 12 per
        // second, the last at 1.67 s; sampled at 0, 0.1, …, 1.6 s: 17).
        #expect(Self.files(pictures).count == videos.count)
        let drawn = try VideoReader(pictures.appendingPathComponent("test-0.tracks.mp4"))
        var frames = 0
        while try drawn.next() != nil { frames += 1 }
        #expect(frames == 17)
        #expect(shares.allSatisfy { !$0.isEmpty })
        #expect(shares.map(\.count).reduce(0, +) == videos.count)
        #expect(
            shares[0].union(shares[1]).union(shares[2])
                == Set(videos.map { $0.replacingOccurrences(of: ".mp4", with: ".npz") }))
        for bad in ["0/3", "4/3", "1/0", "a/b"] {
            #expect(throws: (any Error).self) {
                _ = try GLIDNVideoCommand.parseAsRoot(["extract", "--output", "/tmp/x", "--shard", bad, "v.mp4"])
            }
        }
    }

    @Test("train on extracted videos, then predict --video from the checkpoint alone: JSON windows over the video")
    func trainAndPredict() throws {
        let renders = try Self.rendered("predict")
        defer { try? FileManager.default.removeItem(at: renders) }
        let data = VideoFixtures.scratch("predict-data")
        let videos = try FileManager.default.contentsOfDirectory(atPath: renders.path).filter { $0.hasSuffix(".mp4") }
        try Self.video(
            Self.extractArguments(renders, output: data) + videos.map { renders.appendingPathComponent($0).path })
        for file in ["labels.csv", "actions.txt"] {
            try FileManager.default.copyItem(
                at: renders.appendingPathComponent(file), to: data.appendingPathComponent(file))
        }
        let run = VideoFixtures.scratch("predict-run")
        defer { try? FileManager.default.removeItem(at: run) }
        try Self.glidn([
            "train", "--dataset", "videos", "--data", data.path, "--output", run.path, "--epochs", "1", "--hidden", "8",
            "--heads", "2", "--batch-size", "4",
        ])
        // The checkpoint carries how its videos were extracted: the data folder may go.
        try FileManager.default.removeItem(at: data)
        let checkpoint = run.appendingPathComponent("best.safetensors").path
        let output = run.appendingPathComponent("predictions.json")
        let test = renders.appendingPathComponent("test-0.mp4").path
        let pictures = run.appendingPathComponent("pictures")
        try Self.video([
            "predict", "--video", test, "--checkpoint", checkpoint, "--format", "json", "--window", "1", "--stride",
            "0.5",
            "--output", output.path, "--top", "2", "--pictures", pictures.path,
        ])
        #expect(Self.files(pictures) == ["test-0.annotated.mp4", "test-0.html"])
        let page = try String(contentsOf: pictures.appendingPathComponent("test-0.html"), encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("data:image/jpeg;base64,"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        let entries = object?["videos"] as? [[String: Any]] ?? []
        #expect(entries.count == 1 && entries.first?["video"] as? String == "test-0")
        let windows = entries.first?["windows"] as? [[String: Any]] ?? []
        // 21 frames at 12 per second, sampled at 10: 1.7 s, windows of 1 s every 0.5 s.
        #expect(windows.count >= 3, "\(windows.count) windows")
        let actions = Set(
            try String(contentsOf: renders.appendingPathComponent("actions.txt"), encoding: .utf8).split(
                separator: "\n"
            ).map(String.init))
        for window in windows {
            let best = window["actions"] as? [[String: Any]] ?? []
            #expect(best.count == 2)
            #expect(
                best.allSatisfy {
                    actions.contains($0["class"] as? String ?? "") && (0...1).contains($0["score"] as? Double ?? -1)
                })
        }
        // A checkpoint of another data set is refused by name.
        let synthetic = VideoFixtures.scratch("predict-synthetic")
        defer { try? FileManager.default.removeItem(at: synthetic) }
        try Self.glidn([
            "train", "--output", synthetic.path, "--epochs", "1", "--hidden", "8", "--heads", "2", "--train-clips", "8",
            "--validation-clips", "4", "--test-clips", "4", "--frames", "21", "--feature-size", "4",
        ])
        let other = synthetic.appendingPathComponent("best.safetensors").path
        #expect { try Self.video(["predict", "--video", test, "--checkpoint", other]) } throws: {
            "\($0)".contains("was not trained on videos extracted by glidn extract")
        }
    }
}
