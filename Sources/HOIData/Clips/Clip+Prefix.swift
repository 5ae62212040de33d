extension Clip {
    /// The first ⌈fraction · T⌉ frames (at least one) of a one-segment clip, with the whole clip's
    /// labels: what an online model has seen that far into the clip, and must answer for. Its id
    /// is "ID@50%".
    public func prefix(_ fraction: Double) throws(ClipError) -> Clip {
        guard segments == 1 else {
            throw ClipError(clip: id, problem: "is a video of \(segments) segments: its prefixes are its segments")
        }
        guard fraction > 0, fraction <= 1 else {
            throw ClipError(clip: id, problem: "has no prefix of \(fraction) of its frames (0 < fraction ≤ 1)")
        }
        let t = min(frames, max(1, Int((fraction * Double(frames)).rounded(.up))))
        var clip = try slice(
            frames: 0..<t, id: "\(id)@\(Int((fraction * 100).rounded()))%", labels: labels, keepingInteractions: true)
        clip.prefixOf = wholeClipID
        clip.prefixFraction = fraction
        return clip
    }
}

extension Clip {
    /// Frames `range` of a one-segment clip as a clip of its own (no labels): a window of frames
    /// as it arrives, for streaming.
    public func window(_ range: Range<Int>) throws(ClipError) -> Clip {
        guard segments == 1, range.lowerBound >= 0, range.upperBound <= frames, !range.isEmpty else {
            throw ClipError(
                clip: id, problem: "has no window of frames \(range) (it has \(frames) frames, \(segments) segments)")
        }
        return try slice(frames: range, id: "\(id) frames \(range.lowerBound)–\(range.upperBound - 1)", labels: .none)
    }
}

extension Clip {
    /// The same clip under another id (no longer a prefix of anything).
    public func renamed(_ newID: String) throws(ClipError) -> Clip {
        var clip = try Clip(
            id: newID, frames: frames, entities: entities, featureSize: featureSize, features: features, boxes: boxes,
            mask: mask, categories: categories, isHuman: isHuman, labels: labels, interactions: interactions,
            segments: segments)
        clip.segmentFrames = segmentFrames
        return clip
    }
}

/// Every clip of a source at each prefix fraction in turn (clip 0 at each fraction, then clip
/// 1, …): the data of online recognition on one-segment clips.
public struct PrefixClips: ClipSource {
    public let base: any ClipSource
    public let fractions: [Double]

    public init(base: any ClipSource, fractions: [Double]) {
        (self.base, self.fractions) = (base, fractions)
    }

    public var count: Int { base.count * fractions.count }

    public func clip(at index: Int) throws -> Clip {
        try base.clip(at: index / fractions.count).prefix(fractions[index % fractions.count])
    }
}
