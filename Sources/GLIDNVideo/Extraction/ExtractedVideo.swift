import Foundation
import HOIData

/// What one track looked like in one sampled frame.
public struct Observation: Sendable {
    public let box: PixelBox
    public let score: Float
    /// Mean and standard deviation of the box's red, green and blue, in [0, 1].
    public let colourMean: [Float]
    public let colourDeviation: [Float]

    public init(box: PixelBox, score: Float, colourMean: [Float], colourDeviation: [Float]) {
        (self.box, self.score, self.colourMean, self.colourDeviation) = (box, score, colourMean, colourDeviation)
    }
}

/// One tracked entity: a graph node.
public struct ExtractedTrack: Sendable {
    public let id: Int
    public let classIndex: Int
    public let isHuman: Bool
    /// By sampled frame index.
    public var observations: [Int: Observation]

    public init(id: Int, classIndex: Int, isHuman: Bool, observations: [Int: Observation]) {
        (self.id, self.classIndex, self.isHuman, self.observations) = (id, classIndex, isHuman, observations)
    }

    public var length: Int { observations.count }
}

/// A video's sampled frames and tracks, and the per-video feature file and track table made of them.
public struct ExtractedVideo: Sendable {
    public let id: String
    public let info: VideoInfo
    /// The time of each sampled frame, in seconds.
    public let times: [Double]
    /// The tracks kept, in node order: people first, then by length.
    public let tracks: [ExtractedTrack]
    public let classNames: [String]
    public let decodedFrames: Int
    /// Detections (or boxes of the file) at or above the score threshold, over all sampled
    /// frames, before tracking and the choice of tracks: what the detector saw.
    public var detections = 0

    /// The node features of docs/DATA.md ("From video"), per sampled frame and track.
    /// The box's motion (its centre's and size's change per sampled frame, in frame widths and
    /// heights) and its colour (mean and standard deviation of red, green, blue). The
    /// detector's score is not a feature: true boxes have none, and a model trained on them
    /// would meet another distribution on detections.
    public static let featureNames = [
        "velocity_x", "velocity_y", "velocity_w", "velocity_h", "mean_red", "mean_green", "mean_blue", "deviation_red",
        "deviation_green", "deviation_blue",
    ]
    public static var featureSize: Int { featureNames.count }

    /// The node arrays of every sampled frame, as docs/DATA.md lays them out: `features`
    /// [T, N, F], `boxes` [T, N, 4] in [0, 1], `mask` [T, N] (N: the kept tracks, at least 1).
    public func nodeArrays() -> (features: [Float], boxes: [Float], mask: [Float], entities: Int) {
        let (t, n, f) = (times.count, max(tracks.count, 1), Self.featureSize)
        let (w, h) = (Float(info.width), Float(info.height))
        var features = [Float](repeating: 0, count: t * n * f)
        var boxes = [Float](repeating: 0, count: t * n * 4)
        var mask = [Float](repeating: 0, count: t * n)
        for (e, track) in tracks.enumerated() {
            for (frame, o) in track.observations {
                let row = frame * n + e
                mask[row] = 1
                (boxes[4 * row], boxes[4 * row + 1]) = (o.box.x1 / w, o.box.y1 / h)
                (boxes[4 * row + 2], boxes[4 * row + 3]) = (o.box.x2 / w, o.box.y2 / h)
                // Motion: a central difference over the neighbouring sampled frames where seen.
                let before = track.observations[frame - 1] ?? o
                let after = track.observations[frame + 1] ?? o
                let seen =
                    (track.observations[frame - 1] != nil ? 1 : 0) + (track.observations[frame + 1] != nil ? 1 : 0)
                let scale: Float = seen > 0 ? 1 / Float(seen) : 0
                let motion: [Float] = [
                    (after.box.centre.x - before.box.centre.x) / w * scale,
                    (after.box.centre.y - before.box.centre.y) / h * scale,
                    (after.box.width - before.box.width) / w * scale,
                    (after.box.height - before.box.height) / h * scale,
                ]
                let values = motion + o.colourMean + o.colourDeviation
                for q in 0..<f { features[row * f + q] = values[q] }
            }
        }
        return (features, boxes, mask, n)
    }

    /// The per-video feature file: `features` [T, N, F], `boxes` [T, N, 4] in [0, 1], `mask`
    /// [T, N], `categories` [N] (the detector's class index), `is_human` [N], `times` [T] (seconds)
    /// and `track_ids` [N].
    public func featureArchive() -> Data {
        let (t, f) = (times.count, Self.featureSize)
        let (features, boxes, mask, n) = nodeArrays()
        var npz = NPZWriter()
        npz.add("features", shape: [t, n, f], .float32(features))
        npz.add("boxes", shape: [t, n, 4], .float32(boxes))
        npz.add("mask", shape: [t, n], .float32(mask))
        npz.add("categories", shape: [n], .int64(tracks.isEmpty ? [0] : tracks.map(\.classIndex)))
        npz.add("is_human", shape: [n], .uint8(tracks.isEmpty ? [0] : tracks.map { $0.isHuman ? 1 : 0 }))
        npz.add("times", shape: [t], .float64(times))
        npz.add("track_ids", shape: [n], .int64(tracks.isEmpty ? [-1] : tracks.map(\.id)))
        return npz.archive()
    }

    /// The tracks as CSV: one row per track and sampled frame, boxes in pixels.
    public func tracksCSV() -> String {
        var lines = ["frame,time,track,class,score,x1,y1,x2,y2"]
        var rows: [(Int, Int, String)] = []
        for track in tracks {
            let name = track.classIndex < classNames.count ? classNames[track.classIndex] : "class \(track.classIndex)"
            let quoted =
                name.contains(",") || name.contains("\"")
                ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
            for (frame, o) in track.observations {
                let fields = [
                    String(frame), String(format: "%.3f", times[frame]), String(track.id), quoted,
                    String(format: "%.3f", o.score),
                    String(format: "%.1f", o.box.x1), String(format: "%.1f", o.box.y1),
                    String(format: "%.1f", o.box.x2),
                    String(format: "%.1f", o.box.y2),
                ]
                rows.append((frame, track.id, fields.joined(separator: ",")))
            }
        }
        lines += rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        return lines.joined(separator: "\n") + "\n"
    }
}
