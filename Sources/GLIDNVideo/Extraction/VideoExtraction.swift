import Autograd
import Foundation
import Logging

/// A video file to tracked entities: frames decoded and sampled at `--fps`, people and objects
/// found by a detector (or read from a MOT file), linked into tracks, and each track's box, score
/// and colour recorded per sampled frame (`ExtractedVideo`).
public struct VideoExtraction {
    public let settings: ExtractionSettings
    public let detector: (any Detector)?
    /// The boxes of `--boxes` when it names one file; with a folder, each video's `<id>.csv`
    /// there is read when the video is (`boxesFolder`).
    public let boxes: MOTDetections?
    public let boxesFolder: URL?
    public let classNames: [String]
    public let humanClasses: Set<Int>
    /// Frames detected at once, spread over the cores.
    static let framesPerBatch = 4
    static let logger = Logger(label: "glidn.video")

    public init(settings: ExtractionSettings) throws {
        self.settings = settings
        if let file = settings[VideoSettings.boxes] {
            let names = try settings.classes.map { try ClassNames.read(URL(fileURLWithPath: $0)) } ?? ["person"]
            (classNames, humanClasses) = (names, ClassNames.humans(names))
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
                (boxes, boxesFolder) = (nil, URL(fileURLWithPath: file))
            } else {
                (boxes, boxesFolder) = (try MOTDetections.read(URL(fileURLWithPath: file), classes: names.count), nil)
            }
            detector = nil
        } else {
            let made = try Detectors.make(settings[VideoSettings.detector], settings: settings)
            (detector, boxes, boxesFolder, classNames, humanClasses) = (
                made, nil, nil, made.classNames, made.humanClasses
            )
        }
    }

    /// What finds the entities, for logs and the manifest.
    public var summary: String {
        if let detector { return detector.summary }
        let source = "boxes from \(settings[VideoSettings.boxes] ?? "")"
        if boxesFolder != nil { return source + " (<id>.csv per video; tracks as given where every box has an id)" }
        return source + (boxes?.tracked == true ? " (tracks as given)" : ", tracked here")
    }

    /// Extracts `url`; `progress` hears the sampled frames done and the seconds spent.
    public func run(_ url: URL, id: String, progress: ((Int, Double) -> Void)? = nil) throws -> ExtractedVideo {
        let began = Date()
        let boxes =
            try boxesFolder.map {
                try MOTDetections.read($0.appendingPathComponent(id + ".csv"), classes: classNames.count)
            } ?? self.boxes
        let reader = try VideoReader(url, samplesPerSecond: settings.fps)
        var trackerSettings = settings.tracker
        if boxes != nil { trackerSettings.newTrackScore = -.infinity }  // a file's boxes all start tracks
        var tracker = Tracker(settings: trackerSettings)
        var tracks: [Int: ExtractedTrack] = [:]
        var times: [Double] = []
        var detectionCount = 0
        let byFrame = boxes?.byFrame
        var pending: [(image: RGBImage, seconds: Double, decoded: Int)] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            let found = try detections(pending.map(\.image), decoded: pending.map(\.decoded), byFrame: byFrame)
            for (k, frame) in pending.enumerated() {
                let index = times.count
                times.append(frame.seconds)
                let rows = found[k]
                detectionCount += rows.filter { $0.detection.score >= settings.scoreThreshold }.count
                let ids =
                    boxes?.tracked == true
                    ? rows.map(\.id) : tracker.update(frame: index, detections: rows.map(\.detection))
                for (row, trackID) in zip(rows, ids) where trackID >= 0 {
                    let d = row.detection
                    let box = d.box.clipped(width: frame.image.width, height: frame.image.height)
                    guard box.area > 0 else { continue }
                    let (mean, deviation) = Self.colour(frame.image, box)
                    let observation = Observation(
                        box: box, score: d.score, colourMean: mean, colourDeviation: deviation)
                    if tracks[trackID] == nil {
                        tracks[trackID] = ExtractedTrack(
                            id: trackID, classIndex: d.classIndex, isHuman: humanClasses.contains(d.classIndex),
                            observations: [:])
                    }
                    // Two boxes of one given track in a frame cannot be: the first stays.
                    if tracks[trackID]!.observations[index] == nil {
                        tracks[trackID]!.observations[index] = observation
                    }
                }
            }
            pending.removeAll()
            progress?(times.count, Date().timeIntervalSince(began))
        }
        while let (image, seconds) = try reader.next() {
            pending.append((image, seconds, reader.decodedFrames))
            if pending.count == Self.framesPerBatch { try flush() }
        }
        try flush()
        guard !times.isEmpty else {
            throw VideoError(path: url.path, problem: "it holds no frame that could be decoded")
        }
        if reader.info.declaredFrames > 0, reader.decodedFrames < reader.info.declaredFrames * 9 / 10 {
            Self.logger.warning(
                "\(url.path): \(reader.decodedFrames) frames decoded of \(reader.info.declaredFrames) its header declares (is it truncated?)"
            )
        }
        var stitching = TrackStitching.Settings()
        stitching.maximumGap = settings[VideoSettings.stitchGap]
        // Tracks a file gives are kept as given; the tracker's are joined where they broke.
        let found = Array(tracks.values)
        let joined =
            boxes?.tracked == true || stitching.maximumGap == 0
            ? found : TrackStitching.stitch(found, settings: stitching)
        let kept = Self.select(
            joined, minimumFrames: settings[VideoSettings.minimumTrackFrames],
            maximum: settings[VideoSettings.maximumEntities])
        var video = ExtractedVideo(
            id: id, info: reader.info, times: times, tracks: kept, classNames: classNames,
            decodedFrames: reader.decodedFrames)
        video.detections = detectionCount
        return video
    }

    /// The detections of a batch of frames: the file's rows, or the detector's (frames spread
    /// over the cores).
    func detections(_ images: [RGBImage], decoded: [Int], byFrame: [Int: [MOTDetections.Row]]?) throws
        -> [[MOTDetections.Row]]
    {
        // A file's boxes are taken whatever their confidence (MOT files score on scales of their own).
        if let byFrame { return decoded.map { byFrame[$0] ?? [] } }
        guard let detector else { return images.map { _ in [] } }
        let threshold = settings.lowestScore
        var results = [Result<[Detection], any Error>](repeating: .success([]), count: images.count)
        let shared = UnsafeSendable(detector)
        results.withUnsafeMutableBufferPointer { out in
            let slots = UnsafeSendable(out.baseAddress!)
            Parallel.forEachChunk(count: images.count, minimumChunk: 1) { range in
                for i in range { slots.value[i] = Result { try shared.value.detect(images[i]) } }
            }
        }
        return try results.map { r in
            try r.get().filter { $0.score >= threshold }.map { MOTDetections.Row(frame: 0, id: -1, detection: $0) }
        }
    }

    /// Tracks seen in at least `minimumFrames` sampled frames, people first, then the longest
    /// (ties: the earlier id), at most `maximum`.
    static func select(_ tracks: [ExtractedTrack], minimumFrames: Int, maximum: Int) -> [ExtractedTrack] {
        tracks.filter { $0.length >= minimumFrames }
            .sorted { ($0.isHuman ? 0 : 1, -$0.length, $0.id) < ($1.isHuman ? 0 : 1, -$1.length, $1.id) }
            .prefix(maximum).map { $0 }
    }

    /// The mean and standard deviation of red, green and blue inside `box` (every second pixel
    /// of every second row), in [0, 1].
    static func colour(_ image: RGBImage, _ box: PixelBox) -> ([Float], [Float]) {
        let (x1, y1) = (Int(box.x1), Int(box.y1))
        let (x2, y2) = (min(Int(box.x2.rounded(.up)), image.width), min(Int(box.y2.rounded(.up)), image.height))
        var sum = [Double](repeating: 0, count: 3)
        var squares = [Double](repeating: 0, count: 3)
        var count = 0.0
        image.bytes.withUnsafeBufferPointer { p in
            for y in stride(from: y1, to: y2, by: 2) {
                for x in stride(from: x1, to: x2, by: 2) {
                    let at = (y * image.width + x) * 3
                    for c in 0..<3 {
                        let v = Double(p[at + c]) / 255
                        sum[c] += v
                        squares[c] += v * v
                    }
                    count += 1
                }
            }
        }
        guard count > 0 else { return ([0, 0, 0], [0, 0, 0]) }
        let mean = sum.map { $0 / count }
        let deviation = (0..<3).map { c in max(squares[c] / count - mean[c] * mean[c], 0).squareRoot() }
        return (mean.map(Float.init), deviation.map(Float.init))
    }
}
