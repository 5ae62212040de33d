import Foundation
import HOIData

/// The data options a command was given, each nil when left out. A checkpoint stores its
/// training run's choices (`metadataKey`), so that `evaluate` and `predict` rebuild the same
/// data unless told otherwise, and `train --resume` continues on it. The JSON keys are the
/// options' own names, so a difference can be reported as the option the user would type.
struct DataChoices: Codable, Equatable {
    static let metadataKey = "data_options"

    var dataset: String?
    var data: String?
    var annotations: String?
    var testAnnotations: String?
    var ids: String?
    var validationFraction: Double?
    var splitSeed: UInt64?
    var fold: Int?
    var skipMissing: Bool?
    var task: String?
    var trainClips: Int?
    var validationClips: Int?
    var testClips: Int?
    var frames: Int?
    var maxActions: Int?
    var featureSize: Int?
    var featureNoise: Float?
    var dataSeed: UInt64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, data, annotations, fold, task, frames, ids
        case testAnnotations = "test-annotations", validationFraction = "validation-fraction", splitSeed = "split-seed"
        case skipMissing = "skip-missing", trainClips = "train-clips", validationClips = "validation-clips"
        case testClips = "test-clips", maxActions = "max-actions", featureSize = "feature-size"
        case featureNoise = "feature-noise", dataSeed = "data-seed"
    }

    /// Each choice of `self`, or else `fallback`'s.
    func over(_ fallback: DataChoices?) -> DataChoices {
        guard let fallback else { return self }
        return DataChoices(
            dataset: dataset ?? fallback.dataset, data: data ?? fallback.data, annotations: annotations ?? fallback.annotations,
            testAnnotations: testAnnotations ?? fallback.testAnnotations, ids: ids ?? fallback.ids,
            validationFraction: validationFraction ?? fallback.validationFraction, splitSeed: splitSeed ?? fallback.splitSeed,
            fold: fold ?? fallback.fold, skipMissing: skipMissing ?? fallback.skipMissing, task: task ?? fallback.task,
            trainClips: trainClips ?? fallback.trainClips, validationClips: validationClips ?? fallback.validationClips,
            testClips: testClips ?? fallback.testClips, frames: frames ?? fallback.frames, maxActions: maxActions ?? fallback.maxActions,
            featureSize: featureSize ?? fallback.featureSize, featureNoise: featureNoise ?? fallback.featureNoise,
            dataSeed: dataSeed ?? fallback.dataSeed)
    }

    var datasetName: String { dataset ?? SyntheticDataset.name }

    /// Whether these choices name where the data comes from (its files or data set).
    var namesSource: Bool { dataset != nil || data != nil || annotations != nil || testAnnotations != nil || ids != nil }

    /// The given choices over a checkpoint's `recorded` ones. Naming another source (files or
    /// data set) drops the recorded files and their split (fold, validation share, seed,
    /// missing files); how clips are cut (frames, task, the generator's settings) still
    /// follows training.
    func over(recorded: DataChoices?) -> DataChoices {
        guard var kept = recorded else { return self }
        if namesSource {
            (kept.dataset, kept.data, kept.annotations, kept.testAnnotations, kept.ids) = (nil, nil, nil, nil, nil)
            (kept.fold, kept.validationFraction, kept.splitSeed, kept.skipMissing) = (nil, nil, nil, nil)
        }
        return over(kept)
    }

    /// The request the catalogue loads: these choices, the rest at their defaults.
    var request: DataRequest {
        var r = DataRequest()
        r.data = data.map { URL(fileURLWithPath: $0) }
        r.annotations = annotations.map { URL(fileURLWithPath: $0) }
        r.testAnnotations = testAnnotations.map { URL(fileURLWithPath: $0) }
        r.ids = ids.map { URL(fileURLWithPath: $0) }
        if let validationFraction { r.validationFraction = validationFraction }
        if let splitSeed { r.splitSeed = splitSeed }
        r.fold = fold
        r.skipMissing = skipMissing ?? false
        r.task = task
        r.frames = frames
        var s = SyntheticSettings()
        if let trainClips { s.trainClips = trainClips }
        if let validationClips { s.validationClips = validationClips }
        if let testClips { s.testClips = testClips }
        if let featureSize { s.featureSize = featureSize }
        if let maxActions { s.maxActions = maxActions }
        if let featureNoise { s.featureNoise = featureNoise }
        if let dataSeed { s.seed = dataSeed }
        r.synthetic = s
        return r
    }

    /// Every option whose value differs between `self` and `other`, as "--name A (other: B)";
    /// a value left out shows as "default".
    func differences(from other: DataChoices, otherName: String) -> [String] {
        SettingDifferences.listed(SettingDifferences.values(json()), SettingDifferences.values(other.json()), otherName: otherName,
                                  missing: "default", keys: CodingKeys.allCases.map(\.rawValue)) { "--" + $0 }
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The choices stored in a checkpoint's metadata, if it has them (older checkpoints do not).
    static func stored(in metadata: [String: String]) -> DataChoices? {
        metadata[metadataKey].flatMap { try? JSONDecoder().decode(DataChoices.self, from: Data($0.utf8)) }
    }
}
