extension Clip {
    /// Frames `range` of this clip as a clip of their own, named `id`, in `segments` segments, with
    /// `labels` and, when `keepingInteractions`, the interaction targets of those frames: the one
    /// slicing behind segments, windows and prefixes.
    public func slice(
        frames range: Range<Int>, id: String, segments: Int = 1, labels: ClipLabels,
        keepingInteractions: Bool = false
    ) throws(ClipError) -> Clip {
        guard range.lowerBound >= 0, range.upperBound <= frames, !range.isEmpty else {
            throw ClipError(clip: self.id, problem: "has no frames \(range) (it has \(frames))")
        }
        let (n, f) = (entities, featureSize)
        return try Clip(
            id: id, frames: range.count, entities: n, featureSize: f,
            features: Array(features[(range.lowerBound * n * f)..<(range.upperBound * n * f)]),
            boxes: Array(boxes[(range.lowerBound * n * 4)..<(range.upperBound * n * 4)]),
            mask: Array(mask[(range.lowerBound * n)..<(range.upperBound * n)]), categories: categories,
            isHuman: isHuman, labels: labels,
            interactions: keepingInteractions ? interactions.map { Array($0[range]) } : nil, segments: segments)
    }

    /// Segment `s` of a whole video as a clip of its own (its k frames, the video's entities, no
    /// labels): what arrives when the segment has been seen, for online recognition.
    public func segment(_ s: Int) throws(ClipError) -> Clip {
        guard (0..<segments).contains(s) else {
            throw ClipError(clip: id, problem: "has no segment \(s) (it has \(segments))")
        }
        let k = framesPerSegment
        var clip = try slice(frames: (s * k)..<((s + 1) * k), id: "\(id) segment \(s)", labels: .none)
        clip.segmentFrames = segmentFrames.map { [$0[s]] }
        return clip
    }
}
