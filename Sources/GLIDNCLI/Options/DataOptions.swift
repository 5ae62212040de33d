import ArgumentParser
import Foundation
import GLIDN
import HOIData

/// The data sets the command line knows.
enum DatasetKind: String, ExpressibleByArgument, CaseIterable {
    /// The built-in synthetic benchmark (no files needed).
    case synthetic
    /// CAD-120 segments in LIGHTEN / STIGPN's pickle (--data FILE).
    case cad120Lighten = "cad120-lighten"
    /// The CAD-120 release's annotation folders (--data ROOT with SubjectN_annotations/).
    case cad120Raw = "cad120-raw"
    /// Charades with per-video feature files (--data FOLDER of <id>.npz, --annotations CSV).
    case charades
    /// Charades with Action Genome's boxes only (--data FOLDER with the two .pkl files, --annotations CSV).
    case charadesActionGenome = "charades-ag"
}

/// Splits of one data set, ready to train or evaluate on.
struct LoadedData {
    let info: DatasetInfo
    let train: Dataset
    let validation: Dataset?
    let test: Dataset?
    /// Every clip (e.g. a file never seen in training).
    let all: Dataset
    /// Stored in resume files: resuming on other data is refused.
    let description: String
    /// Class pairs to score for time order (synthetic benchmark).
    let orderPairs: [(Int, Int)]
}

/// Where the clips come from. Shared by train, evaluate, predict and demo.
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: DatasetKind = .synthetic

    @Option(help: "The data set's file or folder (see --dataset).", completion: .file())
    var data: String?

    @Option(help: "Charades: the annotation CSV of the training videos (e.g. Charades_v1_train.csv).", completion: .file(extensions: ["csv"]))
    var annotations: String?

    @Option(name: .customLong("test-annotations"), help: "Charades: the annotation CSV of the test videos (e.g. Charades_v1_test.csv).",
            completion: .file(extensions: ["csv"]))
    var testAnnotations: String?

    @Option(name: .customLong("validation-fraction"), help: "Real data: fraction of whole videos held out for validation.")
    var validationFraction = 0.2

    @Option(name: .customLong("split-seed"), help: "Real data: seed of the video split.")
    var splitSeed: UInt64 = 0

    @Option(help: "CAD-120 release: the subject held out for testing (leave-one-subject-out fold 1…4).")
    var fold: Int?

    @Flag(name: .customLong("skip-missing"), help: "Charades: leave out videos without a feature file instead of stopping.")
    var skipMissing = false

    @Option(help: "Synthetic benchmark task: video (multi-label actions) or entity (sub-activity and role per entity).")
    var task: TaskKind = .video

    @Option(name: .customLong("train-clips"), help: "Synthetic: training clips.")
    var trainClips = SyntheticSettings().trainClips

    @Option(name: .customLong("validation-clips"), help: "Synthetic: validation clips.")
    var validationClips = SyntheticSettings().validationClips

    @Option(name: .customLong("test-clips"), help: "Synthetic: test clips.")
    var testClips = SyntheticSettings().testClips

    @Option(help: "Synthetic: frames per clip.")
    var frames = SyntheticSettings().frames

    @Option(name: .customLong("feature-size"), help: "Synthetic: appearance feature size.")
    var featureSize = SyntheticSettings().featureSize

    @Option(name: .customLong("feature-noise"), help: "Synthetic: per-frame appearance noise (standard deviation).")
    var featureNoise = SyntheticSettings().featureNoise

    @Option(name: .customLong("data-seed"), help: "Synthetic: seed of the generated clips.")
    var dataSeed: UInt64 = SyntheticSettings().seed

    var synthetic: SyntheticSettings {
        var s = SyntheticSettings()
        s.trainClips = trainClips
        s.validationClips = validationClips
        s.testClips = testClips
        s.frames = frames
        s.featureSize = featureSize
        s.featureNoise = featureNoise
        s.seed = dataSeed
        return s
    }

    func validate() throws {
        if dataset == .synthetic {
            do { try synthetic.validate() } catch { throw ValidationError(error.description) }
        } else if data == nil {
            throw ValidationError("--dataset \(dataset.rawValue) needs --data (its file or folder)")
        }
        if dataset == .charades || dataset == .charadesActionGenome, annotations == nil && testAnnotations == nil {
            throw ValidationError("--dataset \(dataset.rawValue) needs --annotations (and/or --test-annotations) CSV files")
        }
        guard (0..<1).contains(validationFraction) else { throw ValidationError("--validation-fraction must lie in [0, 1)") }
    }

    func load() throws -> LoadedData {
        let path = data.map { URL(fileURLWithPath: $0) }
        switch dataset {
        case .synthetic:
            let s = synthetic
            let train = try SyntheticHOI.dataset(s, split: .train, task: task)
            let test = try SyntheticHOI.dataset(s, split: .test, task: task)
            return LoadedData(info: train.info, train: train, validation: try SyntheticHOI.dataset(s, split: .validation, task: task),
                              test: test, all: test, description: "synthetic \(task.rawValue) \(TrainingRun.json(s))",
                              orderPairs: task == .video ? SyntheticVocabulary.orderPairs : [])
        case .cad120Lighten:
            let segments = try LightenPickleReader.read(contentsOf: path!)
            return splitByVideo(clips: segments.map(\.clip), videos: segments.map(\.videoID), test: nil, name: "cad120-lighten")
        case .cad120Raw:
            let segments = try CAD120AnnotationReader.read(root: path!)
            let clips = segments.map(\.clip)
            guard let fold else {
                return splitByVideo(clips: clips, videos: segments.map(\.videoID), test: nil, name: "cad120-raw")
            }
            let (rest, held) = CAD120Splits.leaveOneSubjectOut(subjects: segments.map(\.subject), fold: fold)
            guard !held.isEmpty else {
                throw ValidationError("--fold \(fold): no segment of Subject\(fold) (subjects: \(Set(segments.map(\.subject)).sorted()))")
            }
            return splitByVideo(clips: rest.map { clips[$0] }, videos: rest.map { segments[$0].videoID },
                                test: held.map { clips[$0] }, name: "cad120-raw fold \(fold)")
        case .charades, .charadesActionGenome:
            let train = try annotations.map { try CharadesAnnotations.read(contentsOf: URL(fileURLWithPath: $0)) } ?? []
            let test = try testAnnotations.map { try CharadesAnnotations.read(contentsOf: URL(fileURLWithPath: $0)) } ?? []
            return try charades(root: path!, train: train, test: test)
        }
    }

    /// Training clips split by whole videos into training and validation.
    func splitByVideo(clips: [Clip], videos: [String], test: [Clip]?, name: String) -> LoadedData {
        let featureSize = clips.first?.featureSize ?? test?.first?.featureSize ?? 0
        let info = CAD120Vocabulary.info(featureSize: featureSize, name: name)
        let all = Dataset(info: info, clips: clips + (test ?? []))
        let (trainIndices, validationIndices) = CAD120Splits.byVideo(videoIDs: videos, validationFraction: validationFraction, seed: splitSeed)
        let pool = Dataset(info: info, clips: clips)
        return LoadedData(info: info, train: pool.subset(trainIndices),
                          validation: validationIndices.isEmpty ? nil : pool.subset(validationIndices),
                          test: test.map { Dataset(info: info, clips: $0) }, all: all,
                          description: "\(name) \(data ?? "") split \(validationFraction) seed \(splitSeed)", orderPairs: [])
    }

    func charades(root: URL, train: [CharadesVideo], test: [CharadesVideo]) throws -> LoadedData {
        let videos = train + test
        let source: any ClipSource
        let featureSize: Int
        let categories: [String]
        var skipped: [String]
        if dataset == .charades {
            let features = try CharadesFeatureSource(root: root, videos: videos, skipMissing: skipMissing)
            (source, featureSize, skipped) = (features, features.featureSize, features.skipped)
            categories = ActionGenomeReader.categoryNames
        } else {
            let (clips, missing) = try ActionGenomeReader.clips(personFile: root.appendingPathComponent("person_bbox.pkl"),
                                                                objectFile: root.appendingPathComponent("object_bbox_and_relationship.pkl"),
                                                                videos: videos)
            if !missing.isEmpty && !skipMissing {
                throw ValidationError("\(missing.count) videos have no Action Genome frame, e.g. \(missing.prefix(3).joined(separator: ", ")) (pass --skip-missing to leave them out)")
            }
            (source, featureSize, skipped) = (ClipArray(clips), ActionGenomeReader.featureSize, missing)
            categories = ActionGenomeReader.categoryNames
        }
        if !skipped.isEmpty {
            FileHandle.standardError.write(Data("skipped \(skipped.count) videos without data (--skip-missing)\n".utf8))
        }
        let info = DatasetInfo(name: dataset.rawValue, task: .video, featureSize: featureSize, categoryNames: categories,
                               classNames: CharadesAnnotations.classNames)
        let all = Dataset(info: info, source: source)
        let skippedSet = Set(skipped)
        let presentTrain = train.filter { !skippedSet.contains($0.id) }
        let presentTest = test.filter { !skippedSet.contains($0.id) }
        let (t, v) = CAD120Splits.byVideo(videoIDs: presentTrain.map(\.id), validationFraction: validationFraction, seed: splitSeed)
        let testIndices = Array(presentTrain.count..<(presentTrain.count + presentTest.count))
        return LoadedData(info: info, train: all.subset(t), validation: v.isEmpty ? nil : all.subset(v),
                          test: testIndices.isEmpty ? nil : all.subset(testIndices), all: all,
                          description: "\(dataset.rawValue) \(root.path) \(annotations ?? "") split \(validationFraction) seed \(splitSeed)",
                          orderPairs: [])
    }
}

extension TaskKind: ExpressibleByArgument {}
