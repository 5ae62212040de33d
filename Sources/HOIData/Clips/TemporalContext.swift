/// How the segments of a clip may inform each other, for the data and the model alike.
/// A data set says what its labels allow (`DatasetInfo.temporalContext`); the model's global
/// relation graph spans what its configuration says (`ModelConfig.temporalContext`).
public enum TemporalContext: String, Codable, CaseIterable, Sendable {
    /// A clip is one segment: the global graph has one node per entity.
    case clip
    /// A clip is a whole video of segments: one node per (segment, entity), all linked, so
    /// that each segment's prediction sees the whole video.
    case video
    /// As `video`, but a node hears only nodes of its own and earlier segments: a segment's
    /// prediction never depends on what comes later (anticipation).
    case causal
}
