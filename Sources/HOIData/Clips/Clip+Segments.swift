extension Clip {
    /// Segment `s` of a whole video as a clip of its own (its k frames, the video's entities, no
    /// labels): what arrives when the segment has been seen, for online recognition.
    public func segment(_ s: Int) throws(ClipError) -> Clip {
        guard (0..<segments).contains(s) else {
            throw ClipError(clip: id, problem: "has no segment \(s) (it has \(segments))")
        }
        let k = framesPerSegment
        let frames = (s * k)..<((s + 1) * k)
        let (n, f) = (entities, featureSize)
        var clip = try Clip(
            id: "\(id) segment \(s)", frames: k, entities: n, featureSize: f,
            features: Array(features[(frames.lowerBound * n * f)..<(frames.upperBound * n * f)]),
            boxes: Array(boxes[(frames.lowerBound * n * 4)..<(frames.upperBound * n * 4)]),
            mask: Array(mask[(frames.lowerBound * n)..<(frames.upperBound * n)]), categories: categories,
            isHuman: isHuman, labels: .none)
        clip.segmentFrames = segmentFrames.map { [$0[s]] }
        return clip
    }
}
