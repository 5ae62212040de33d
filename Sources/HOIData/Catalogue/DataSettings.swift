import Foundation
import Settings

/// The settings of where clips come from, declared once. Each data set reads some of them
/// (`DatasetProvider.settings`); a setting the chosen data set does not read is refused.
public enum DataSettings {
    public static let dataset = Setting<String>(
        "dataset", default: SyntheticDataset.name, help: "Data set (see below)",
        check: .oneOf { Catalogues.datasets.names })
    public static let data = Setting<String?>(
        "data", default: nil, help: "The data set's file or folder", defaultNote: "none")
    public static let task = Setting<String?>(
        "task", default: nil, help: "The task, for data sets that serve several", defaultNote: "the data set's first")
    public static let validationFraction = Setting<Double>(
        "validation-fraction", default: 0.2, help: "Fraction of whole videos held out for validation",
        check: .within(0..<1))
    public static let splitSeed = Setting<UInt64>("split-seed", default: 0, help: "Seed of the video split")
    public static let fold = Setting<Int?>(
        "fold", default: nil, help: "Leave-one-subject-out: the subject held out for testing",
        check: .some(.within(1...1_000_000)),
        defaultNote: "none")
    public static let annotations = Setting<String?>(
        "annotations", default: nil, help: "The annotation CSV of the training videos (e.g. Charades_v1_train.csv)",
        defaultNote: "none")
    public static let testAnnotations = Setting<String?>(
        "test-annotations", default: nil, help: "The annotation CSV of the test videos (e.g. Charades_v1_test.csv)",
        defaultNote: "none")
    public static let ids = Setting<String?>(
        "ids", default: nil, help: "A file of video ids, one per line, to predict for without an annotation CSV",
        defaultNote: "every <id>.npz in --data")
    /// Every data set reads it (`DatasetProvider.allSettings`): a filter on the clips, not a
    /// source, so that the stored data (and its split) stay.
    public static let videoID = Setting<String?>(
        "video-id", default: nil,
        help:
            "Only the clips of these videos (ids, comma-separated; a whole-video clip's id, or a clip id's video part)",
        defaultNote: "every video")
    public static let skipMissing = Setting<Bool>(
        "skip-missing", default: false, help: "Leave out videos without a feature file instead of stopping")

    /// Settings that name files: stored as absolute paths, and compared as paths.
    public static let pathSettings: [Setting<String?>] = [data, annotations, testAnnotations, ids]
    public static let paths: [any AnySetting] = pathSettings
    /// Settings that name where the data comes from: naming any of them again names other data.
    public static let sources: [any AnySetting] = [dataset, data, annotations, testAnnotations, ids]
    /// Settings of how the data is split: kept from a checkpoint's training data unless the
    /// source is named again.
    public static let split: [any AnySetting] = [fold, validationFraction, splitSeed, skipMissing]
}

/// What a caller (the command line, a test, a program) asks of a data set: the values of the
/// data set's settings. Each data set reads the ones it declares.
public struct DataRequest: Sendable {
    public var values: SettingValues

    public init(_ values: SettingValues = SettingValues()) { self.values = values }

    public subscript<V>(_ setting: Setting<V>) -> V {
        get { values[setting] }
        set { values[setting] = newValue }
    }

    /// The data set's file or folder (`--data`).
    public var data: URL? { values[DataSettings.data].map { URL(fileURLWithPath: $0) } }
    public var annotations: URL? { values[DataSettings.annotations].map { URL(fileURLWithPath: $0) } }
    public var testAnnotations: URL? { values[DataSettings.testAnnotations].map { URL(fileURLWithPath: $0) } }
    public var ids: URL? { values[DataSettings.ids].map { URL(fileURLWithPath: $0) } }
    public var validationFraction: Double { values[DataSettings.validationFraction] }
    public var splitSeed: UInt64 { values[DataSettings.splitSeed] }
    public var fold: Int? { values[DataSettings.fold] }
    public var skipMissing: Bool { values[DataSettings.skipMissing] }
    /// One of the data set's tasks (`DatasetProvider.tasks`); nil for its first.
    public var task: String? { values[DataSettings.task] }
    public var datasetName: String { values[DataSettings.dataset] }
    /// The task by its `--task` name (the data set's first when not given).
    public var taskName: String { task ?? (try? provider.tasks.first) ?? "" }
}
