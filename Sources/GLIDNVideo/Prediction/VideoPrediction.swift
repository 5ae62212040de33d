import Autograd
import Foundation
import GLIDN
import HOIData
import NN
import Settings

/// What a model predicts for a video, window by window: the video's tracks cut into windows of
/// `window` seconds every `stride` seconds, each window a clip the model scores. Per window:
/// the scores of the task's groups of clip rows (a video-task model: its actions), the scores
/// of each track for the groups of node rows, and per frame the strongest local attention of
/// each person (last local layer, mean over heads), for the pictures.
public struct VideoPrediction: Sendable {
    public struct Window: Sendable {
        public let start: Double
        public let end: Double
        /// The sampled frames it spans.
        public let frames: Range<Int>
        /// Per label group of clip rows, the probability of each class.
        public let clipScores: [String: [Float]]
        /// Per track id, per label group of node rows, the probability of each class.
        public let trackScores: [Int: [String: [Float]]]
        /// Per sampled frame of the window, each person's strongest attention: (person's track,
        /// the other track, its weight).
        public let attention: [Int: [(from: Int, to: Int, weight: Float)]]
    }

    public let video: ExtractedVideo
    public let info: DatasetInfo
    public let windows: [Window]

    /// Predicts `video` with `model` (trained on features `glidn extract` makes: `info` names its
    /// classes and categories).
    public static func run(
        _ video: ExtractedVideo, model: GLIDNModel, info: DatasetInfo, window: Double, stride: Double
    ) throws
        -> VideoPrediction
    {
        guard model.config.features == ExtractedVideo.featureSize else {
            throw SettingError(
                "the checkpoint reads \(model.config.features) features per entity, glidn extract makes \(ExtractedVideo.featureSize): predict --video needs a model trained on extracted videos (--dataset videos)"
            )
        }
        guard model.config.temporalContext == .clip else {
            throw SettingError(
                "predict --video scores windows of one segment; the checkpoint's global graph spans '\(model.config.temporalContext.rawValue)'"
            )
        }
        let times = video.times
        let (all, boxes, mask, n) = video.nodeArrays()
        let f = ExtractedVideo.featureSize
        // Windows by time: frames whose time lies in [start, start + window).
        var starts: [Double] = []
        var s = times.first ?? 0
        let last = times.last ?? 0
        while s <= last {
            starts.append(s)
            if s + window > last { break }
            s += stride
        }
        let ranges: [Range<Int>] = starts.map { start in
            let lower = times.firstIndex { $0 >= start - 1e-9 } ?? times.count
            let upper = times.firstIndex { $0 >= start + window - 1e-9 } ?? times.count
            return lower..<max(upper, min(lower + 1, times.count))
        }.filter { !$0.isEmpty }
        let categories = video.tracks.isEmpty ? [0] : video.tracks.map(\.classIndex)
        if let bad = categories.first(where: { $0 >= model.config.categories }) {
            throw SettingError(
                "the video's detector reports class \(bad), beyond the checkpoint's \(model.config.categories) categories: extract with the detector its data was extracted with"
            )
        }
        let human = video.tracks.isEmpty ? [false] : video.tracks.map(\.isHuman)
        let clips = try ranges.map { r in
            try Clip(
                id: "\(video.id) \(r.lowerBound)", frames: r.count, entities: n, featureSize: f,
                features: Array(all[(r.lowerBound * n * f)..<(r.upperBound * n * f)]),
                boxes: Array(boxes[(r.lowerBound * n * 4)..<(r.upperBound * n * 4)]),
                mask: Array(mask[(r.lowerBound * n)..<(r.upperBound * n)]), categories: categories, isHuman: human,
                labels: .none)
        }
        var windows: [Window] = []
        var context = ForwardContext.evaluation
        for (k, clip) in clips.enumerated() {
            let batch = try Batch.collate([clip])
            try model.check(batch)
            let output = withoutGradients { model(batch, context: &context) }
            var clipScores: [String: [Float]] = [:]
            var trackScores: [Int: [String: [Float]]] = [:]
            let visible = output.entityMask.values
            for (spec, group) in zip(model.config.task.groups, output.logits.rows) {
                let p = (spec.multiLabel ? group.logits.sigmoid() : group.logits.softmax(axis: -1)).values
                let classes = group.logits.shape[1]
                if spec.rows == .clip {
                    clipScores[spec.name] = Array(p[0..<classes])
                } else {
                    for (e, track) in video.tracks.enumerated() where visible[e] != 0 {
                        trackScores[track.id, default: [:]][spec.name] = Array(p[(e * classes)..<((e + 1) * classes)])
                    }
                }
            }
            var attention: [Int: [(from: Int, to: Int, weight: Float)]] = [:]
            if let last = output.localAttention.last, !video.tracks.isEmpty {
                let (h, alpha) = (last.shape[3], last.values)
                let m = batch.mask.values
                for t in 0..<clip.frames {
                    for (i, track) in video.tracks.enumerated() where track.isHuman && m[t * n + i] != 0 {
                        var best: (Int, Float)?
                        for j in 0..<n where j != i && m[t * n + j] != 0 {
                            let weight =
                                (0..<h).reduce(Float(0)) { $0 + alpha[((t * n + i) * n + j) * h + $1] } / Float(h)
                            if weight > (best?.1 ?? -1) { best = (j, weight) }
                        }
                        if let (j, weight) = best {
                            attention[ranges[k].lowerBound + t, default: []].append(
                                (track.id, video.tracks[j].id, weight))
                        }
                    }
                }
            }
            let r = ranges[k]
            let end =
                r.upperBound < times.count ? times[r.upperBound] : (times.last ?? 0) + 1 / max(video.frameRate, 1e-9)
            windows.append(
                Window(
                    start: times[r.lowerBound], end: end, frames: r, clipScores: clipScores, trackScores: trackScores,
                    attention: attention))
        }
        return VideoPrediction(video: video, info: info, windows: windows)
    }

    /// The best `top` classes of `scores` with their names.
    public static func best(_ scores: [Float], names: [String], top: Int) -> [(index: Int, name: String, score: Float)]
    {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(top).map {
            ($0, $0 < names.count ? names[$0] : "class \($0)", scores[$0])
        }
    }
}

extension ExtractedVideo {
    /// Sampled frames per second, from the frames' times.
    public var frameRate: Double {
        guard times.count > 1, let first = times.first, let last = times.last, last > first else {
            return info.framesPerSecond
        }
        return Double(times.count - 1) / (last - first)
    }
}
