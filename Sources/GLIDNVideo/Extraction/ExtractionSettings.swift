import Autograd
import Foundation
import HOIData
import Settings

/// Every setting of `glidn extract` (and of `predict --video`), declared once.
public enum VideoSettings {
    public static let fps = Setting<Double>(
        "fps", default: 10, help: "Frames sampled per second of video", check: .within(0.1...120))
    public static let detector = Setting<String>(
        "detector", default: HOGPeopleDetectorKind.name,
        help: "hog (built in: people), or an ONNX detector's file (see below)")
    public static let classes = Setting<String?>(
        "classes", default: nil, help: "The ONNX detector's class names, one per line, in its output order",
        defaultNote: "none")
    public static let boxes = Setting<String?>(
        "boxes", default: nil,
        help:
            "Detections (or tracks) from a file instead of a detector: MOT Challenge CSV (frame,id,x,y,w,h,conf,class), one video",
        defaultNote: "none")
    public static let scoreThreshold = Setting<Float>(
        "score-threshold", default: 0.4, help: "The least score a detection needs", check: .within(0...1))
    public static let overlap = Setting<Float>(
        "nms-overlap", default: 0.5,
        help: "Non-maximum suppression: the IoU above which the weaker of two detections goes",
        check: .within(0...1))
    public static let detectorSize = Setting<Int>(
        "detector-size", default: 640, help: "The ONNX detector's square input size in pixels",
        check: .within(32...4096))
    public static let onnxRuntime = Setting<String>(
        "onnx-runtime", default: "auto",
        help:
            "What runs an ONNX detector: onnxruntime, opencv (OpenCV's DNN module: fewer operators), or auto (ONNX Runtime where installed)",
        check: .oneOf { ["auto", "onnxruntime", "opencv"] })
    public static let maximumEntities = Setting<Int>(
        "max-entities", default: 8, help: "Tracks kept per video (people first, then the longest)",
        check: .within(1...256))
    public static let minimumTrackFrames = Setting<Int>(
        "min-track-frames", default: 2, help: "Tracks seen in fewer sampled frames are dropped",
        check: .within(1...100_000))
    public static let trackGap = Setting<Int>(
        "track-gap", default: 5, help: "Sampled frames a track may go unseen and continue", check: .within(0...1000))
    public static let trackLowScore = Setting<Float>(
        "track-low-score", default: 0.1,
        help:
            "Detections scoring at least this but below --score-threshold may continue a track, never start one (ByteTrack)",
        check: .within(0...1))
    public static let stitchGap = Setting<Int>(
        "track-join-gap", default: 24,
        help:
            "Tracks of one class that end and begin within this many sampled frames, near each other and alike in colour, are joined (0: never)",
        check: .within(0...100_000))
    public static let trackOverlap = Setting<Float>(
        "track-overlap", default: 0.2, help: "The least IoU that links a detection to a track", check: .within(0.01...1)
    )

    public static let hogScale = Setting<Double>(
        "hog-scale", default: 1.05,
        help: "HOG: the step between the image pyramid's scales (larger: faster, fewer people found)",
        check: .within(1.01...2))
    public static let hogWidth = Setting<Int>(
        "hog-width", default: 800,
        help:
            "HOG: frames are scaled to this width first (wider finds smaller people; the time grows with the pixels)",
        check: .within(64...8192))

    public static let all: [any AnySetting] = [
        fps, detector, classes, boxes, scoreThreshold, overlap, detectorSize, onnxRuntime, maximumEntities,
        minimumTrackFrames,
        trackGap, trackOverlap, trackLowScore, stitchGap,
        hogScale, hogWidth,
    ]
}

/// The values of `VideoSettings` an extraction runs with.
public struct ExtractionSettings: Sendable, Equatable {
    public var values: SettingValues

    public init(_ values: SettingValues = SettingValues()) { self.values = values }

    public subscript<V>(_ setting: Setting<V>) -> V {
        get { values[setting] }
        set { values[setting] = newValue }
    }

    public var fps: Double { values[VideoSettings.fps] }
    public var classes: String? { values[VideoSettings.classes] }
    public var scoreThreshold: Float { values[VideoSettings.scoreThreshold] }
    public var overlap: Float { values[VideoSettings.overlap] }
    public var detectorSize: Int { values[VideoSettings.detectorSize] }

    /// The least score a detection needs to reach the tracker (a weak one may continue a track).
    public var lowestScore: Float { min(values[VideoSettings.trackLowScore], scoreThreshold) }

    public var tracker: Tracker.Settings {
        var t = Tracker.Settings()
        (t.maximumGap, t.minimumOverlap) = (values[VideoSettings.trackGap], values[VideoSettings.trackOverlap])
        t.newTrackScore = scoreThreshold
        return t
    }

    /// The settings as JSON (every setting, paths absolute), for the extraction's manifest.
    public func json() -> [String: Any] {
        var object = values.jsonObject(VideoSettings.all).filter { !($0.value is NSNull) }
        for s in [VideoSettings.classes, VideoSettings.boxes] {
            if let path = values[s] { object[s.key] = URL(fileURLWithPath: path).standardizedFileURL.path }
        }
        if !values[VideoSettings.detector].lowercased().hasSuffix(".onnx") { return object }
        object[VideoSettings.detector.key] =
            URL(fileURLWithPath: values[VideoSettings.detector]).standardizedFileURL.path
        return object
    }
}

extension ExtractionSettings {
    /// The settings a folder's `extraction.json` records (`CollectionExtraction.manifest`).
    public static func read(manifest url: URL) throws -> ExtractionSettings {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch {
            throw SettingError("\(error); was the folder written by glidn extract?")
        }
        let text = try VideoFeaturesDataset.extractionSettings(manifest: data, source: url.path)
        return try decode(settingsJSON: text, source: url.path)
    }

    /// Settings from the JSON object of a manifest's `settings` (also kept in checkpoints:
    /// `DatasetInfo.featureExtraction`).
    public static func decode(settingsJSON text: String, source: String) throws -> ExtractionSettings {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw SettingError("\(source): the extraction settings are not a JSON object")
        }
        return ExtractionSettings(try SettingValues.decode(object, settings: VideoSettings.all, source: source))
    }
}
