import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import Testing

@Suite("Training runs")
struct TrainingTests {
    static func tinyData() throws -> (Dataset, Dataset) {
        var s = SyntheticSettings()
        s.trainClips = 20
        s.validationClips = 8
        s.testClips = 0
        s.frames = 14
        s.maxActions = 2
        s.featureSize = 4
        return (
            try SyntheticHOI.dataset(s, split: .train, task: .video),
            try SyntheticHOI.dataset(s, split: .validation, task: .video)
        )
    }

    static func makeRun(_ folder: URL, info: DatasetInfo, epochs: Int = 3) throws -> TrainingRun {
        let config = ModelConfig(
            features: 4, categories: info.categoryNames.count, task: .video, classes: info.classNames.count
        ).with {
            ($0.hidden, $0.heads, $0.localLayers, $0.globalLayers, $0.dropout, $0.distill) = (
                8, 2, 1, 1, 0.2, MutualDistillation.name
            )
        }
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 8
        options.seed = 3
        let trainer = try Trainer(model: try GLIDNModel(config: config, seed: 3), options: options, trainingClips: 20)
        return TrainingRun(trainer: trainer, output: folder, dataInfo: info, dataDescription: "tiny synthetic")
    }

    static func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-training-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    @Test("a stopped run resumed with --resume ends with exactly the weights of an uninterrupted run")
    func resumeIsExact() throws {
        let (train, validation) = try Self.tinyData()
        let straight = Self.folder("straight")
        let stopped = Self.folder("stopped")
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }

        let a = try Self.makeRun(straight, info: train.info)
        try a.run(train: train, validation: validation)

        let first = try Self.makeRun(stopped, info: train.info)
        try first.run(train: train, validation: validation, until: 1)
        #expect(first.completedEpochs == 1)
        let resumed = try Self.makeRun(stopped, info: train.info)  // a new process: fresh weights
        try resumed.restore()
        #expect(resumed.completedEpochs == 1 && resumed.trainer.step == first.trainer.step)
        try resumed.run(train: train, validation: validation)

        for ((name, p), (_, q)) in zip(a.trainer.model.namedParameters(), resumed.trainer.model.namedParameters()) {
            #expect(p.value.values == q.value.values, "\(name) differs")
        }
        #expect(a.history.map(\.train) == resumed.history.map(\.train))
        let lines = try String(contentsOf: stopped.appendingPathComponent(TrainingRun.metricsFile), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 3)
        for e in 1...3 {
            #expect(
                FileManager.default.fileExists(atPath: stopped.appendingPathComponent(TrainingRun.epochFile(e)).path))
        }
        // The best checkpoint is a loadable model.
        let (best, metadata) = try ModelCheckpoint.load(stopped.appendingPathComponent(TrainingRun.bestFile))
        #expect(best.config == a.trainer.model.config && metadata["epoch"] != nil && metadata["dataset"] != nil)
    }

    @Test("resuming with another configuration, other data or nothing saved is refused")
    func resumeRefusals() throws {
        let (train, validation) = try Self.tinyData()
        let folder = Self.folder("refusals")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect { try Self.makeRun(folder, info: train.info).restore() } throws: {
            "\($0)".contains("nothing to resume")
        }
        try Self.makeRun(folder, info: train.info).run(train: train, validation: validation, until: 1)
        let other = TrainingRun(
            trainer: try Self.makeRun(folder, info: train.info).trainer, output: folder, dataInfo: train.info,
            dataDescription: "other data")
        #expect { try other.restore() } throws: { "\($0)".contains("trained on other data") }
        var options = TrainingOptions()
        options.epochs = 3
        options.batchSize = 4
        options.seed = 3
        let run = try Self.makeRun(folder, info: train.info)
        let changed = TrainingRun(
            trainer: try Trainer(model: run.trainer.model, options: options, trainingClips: 20), output: folder,
            dataInfo: train.info, dataDescription: "tiny synthetic")
        #expect { try changed.restore() } throws: { "\($0)".contains("other options") }
    }

    @Test("a failed write leaves the old file and no partial file behind")
    func atomicWrites() throws {
        let folder = Self.folder("atomic")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("model.safetensors")
        try SafeTensors.write([("w", Tensor.ones([3]))], to: target)
        let before = try Data(contentsOf: target)
        try SafeTensors.write([("w", Tensor.zeros([3]))], to: target)
        #expect(try SafeTensorsFile.read(contentsOf: target).tensor("w").values == [0, 0, 0])
        #expect(try Data(contentsOf: target) != before)
        // A target that cannot be replaced (a non-empty folder) makes the write fail…
        let blocked = folder.appendingPathComponent("blocked.safetensors")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: blocked.appendingPathComponent("inside"))
        #expect { try SafeTensors.write([("w", Tensor.ones([3]))], to: blocked) } throws: {
            "\($0)".contains(blocked.path)
        }
        // …and loses nothing: the old contents stay, no temporary file remains.
        #expect(try String(contentsOf: blocked.appendingPathComponent("inside"), encoding: .utf8) == "keep")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.contains("partial")
        }
        #expect(leftovers.isEmpty)
    }

    @Test("step progress: every step once, in order, with the epoch's mean loss so far and the time it took")
    func stepProgress() throws {
        let (train, _) = try Self.tinyData()
        let run = try Self.makeRun(Self.folder("progress"), info: train.info)
        var steps: [StepProgress] = []
        let means = try run.trainer.trainEpoch(1, on: train) { steps.append($0) }
        #expect(steps.map(\.stepInEpoch) == Array(1...3) && steps.allSatisfy { $0.stepsPerEpoch == 3 && $0.epoch == 1 })
        #expect(abs(Double(steps[0].meanLoss) - Double(steps[0].loss)) < 1e-6)
        let total = try #require(means["total"])
        #expect(abs(Double(steps[2].meanLoss) - total) < 1e-5 * max(1, abs(total)))
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.elapsed <= $1.elapsed } && steps[0].elapsed >= 0)
    }

    @Test("bad training options are refused with the reason")
    func badOptions() throws {
        var options = TrainingOptions()
        options.learningRate = -1
        #expect { try options.validate() } throws: { "\($0)".contains("--lr cannot be negative, got -1") }
        options = TrainingOptions()
        options.batchSize = 0
        #expect { try options.validate() } throws: { "\($0)".contains("--batch-size must lie in 1…65536, got 0") }
        let config = ModelConfig(features: 4, categories: 7, task: .video, classes: 16).with {
            ($0.hidden, $0.heads) = (8, 2)
        }
        #expect(throws: TrainingError.self) {
            _ = try Trainer(
                model: try GLIDNModel(config: config, seed: 0), options: TrainingOptions(), trainingClips: 0)
        }
    }
}

@Suite("Results independent of the thread count")
struct ThreadCountTests {
    /// One epoch of the tiny run in `folder` with at most `threads` workers; the epoch's weights as bytes.
    static func epoch(threads: Int, folder: URL, task: TaskKind) throws -> Data {
        try Parallel.$limit.withValue(threads) {
            var s = SyntheticSettings()
            (s.trainClips, s.validationClips, s.testClips, s.frames, s.maxActions, s.featureSize) = (48, 8, 0, 14, 2, 6)
            let train = try SyntheticHOI.dataset(s, split: .train, task: task)
            let config = ModelConfig(
                features: 6, categories: train.info.categoryNames.count, task: task,
                classes: task == .video ? train.info.classNames.count : nil,
                subactivities: task == .entity ? train.info.subactivityNames.count : nil,
                affordances: task == .entity ? train.info.affordanceNames.count : nil
            ).with {
                ($0.hidden, $0.heads, $0.localLayers, $0.globalLayers, $0.dropout, $0.distill) = (
                    64, 4, 2, 2, 0.2, MutualDistillation.name
                )
            }
            var options = TrainingOptions()
            (options.epochs, options.batchSize, options.seed) = (1, 24, 5)
            let trainer = try Trainer(
                model: try GLIDNModel(config: config, seed: 5), options: options, trainingClips: train.count)
            let run = TrainingRun(trainer: trainer, output: folder, dataInfo: train.info, dataDescription: "threads")
            try run.run(train: train, validation: nil)
            let file = try SafeTensorsFile.read(contentsOf: folder.appendingPathComponent(TrainingRun.epochFile(1)))
            var bytes = Data()
            for name in file.names.sorted() {
                bytes.append(
                    contentsOf: try file.tensor(name).values.flatMap {
                        withUnsafeBytes(of: $0.bitPattern) { Array($0) }
                    })
            }
            return bytes
        }
    }

    @Test(
        "an epoch trained on one and on two threads gives the same weights, bit for bit", arguments: TaskKind.allCases)
    func sameWeights(task: TaskKind) throws {
        #expect(
            Parallel.available >= 2, "this machine has one thread: the comparison would be of one thread with itself")
        let (one, two) = (TrainingTests.folder("threads-1-\(task)"), TrainingTests.folder("threads-2-\(task)"))
        defer {
            try? FileManager.default.removeItem(at: one)
            try? FileManager.default.removeItem(at: two)
        }
        let a = try Self.epoch(threads: 1, folder: one, task: task)
        let b = try Self.epoch(threads: 2, folder: two, task: task)
        #expect(!a.isEmpty && a == b)
    }
}
