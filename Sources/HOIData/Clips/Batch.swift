import Autograd

/// Clips padded to a common T and N and stacked, as the model's input tensors.
public struct Batch {
    public let clipIDs: [String]
    /// [B, T, N, F]
    public let features: Tensor
    /// [B, T, N, 4]
    public let boxes: Tensor
    /// [B, T, N], 1 = visible
    public let mask: Tensor
    /// [B·N] category indices
    public let categories: [Int]
    /// [B, N], 1 = human
    public let isHuman: Tensor
    public let targets: Targets?
    /// Per clip, per frame (padded with -1): the entity the first human interacts with, if known.
    public let interactions: [[Int]]?
    /// Per clip, the real (unpadded) frames of each of its segments: T_b for a one-segment
    /// clip. Timing features use it, so that padding a clip never changes what the model
    /// computes for it.
    public let frameCounts: [Int]
    /// S: the frames split into S segments of T / S frames each (1 for one-segment clips).
    public let segments: Int
    /// Per clip, how many of the S segments are its own (the rest are padding).
    public let segmentCounts: [Int]
    /// Per clip, its segments' frames in the original video, where known (`Clip.segmentFrames`).
    public var segmentFrames: [[ClosedRange<Int>]?] = []
    /// Per clip, the share of its whole clip it is, for prefixes (`Clip.prefix(_:)`).
    public var prefixFractions: [Double?] = []

    public var size: Int { mask.shape[0] }
    public var frames: Int { mask.shape[1] }
    public var entities: Int { mask.shape[2] }
    public var featureSize: Int { features.shape[3] }
    /// k, the frames of each segment.
    public var framesPerSegment: Int { frames / segments }

    /// Builds a batch from tensors directly (reference files, benchmarks), checking shapes.
    public init(
        clipIDs: [String], features: Tensor, boxes: Tensor, mask: Tensor, categories: [Int],
        isHuman: Tensor, targets: Targets?, interactions: [[Int]]? = nil, frameCounts: [Int]? = nil,
        segments: Int = 1, segmentCounts: [Int]? = nil
    ) throws(BatchError) {
        guard mask.rank == 3 else { throw BatchError("mask must be [B, T, N], got \(Shape.describe(mask.shape))") }
        let (b, t, n) = (mask.shape[0], mask.shape[1], mask.shape[2])
        guard features.rank == 4, Array(features.shape.prefix(3)) == [b, t, n] else {
            throw BatchError(
                "features \(Shape.describe(features.shape)) do not match mask \(Shape.describe(mask.shape)) ([B, T, N, F])"
            )
        }
        guard boxes.shape == [b, t, n, 4] else {
            throw BatchError(
                "boxes \(Shape.describe(boxes.shape)) must be [B, T, N, 4] = \(Shape.describe([b, t, n, 4]))")
        }
        guard categories.count == b * n, isHuman.shape == [b, n] else {
            throw BatchError(
                "\(categories.count) categories and is_human \(Shape.describe(isHuman.shape)) for B·N = \(b)·\(n)")
        }
        if let bad = categories.first(where: { $0 < 0 }) { throw BatchError("category \(bad) is negative") }
        guard clipIDs.count == b else { throw BatchError("\(clipIDs.count) clip ids for \(b) clips") }
        guard segments >= 1, t % segments == 0 else {
            throw BatchError("\(t) frames do not split into \(segments) segments of equal length")
        }
        let k = t / segments
        let frameCounts = frameCounts ?? Array(repeating: k, count: b)
        guard frameCounts.count == b, frameCounts.allSatisfy({ $0 >= 1 && $0 <= k }) else {
            throw BatchError("frame counts \(frameCounts) must be one per clip, each in 1...\(k)")
        }
        let segmentCounts = segmentCounts ?? Array(repeating: segments, count: b)
        guard segmentCounts.count == b, segmentCounts.allSatisfy({ $0 >= 1 && $0 <= segments }) else {
            throw BatchError("segment counts \(segmentCounts) must be one per clip, each in 1...\(segments)")
        }
        if let bad = features.values.firstIndex(where: { !$0.isFinite }) {
            throw BatchError("features hold a non-finite value at flat index \(bad)")
        }
        if let bad = boxes.values.firstIndex(where: { !$0.isFinite }) {
            throw BatchError("boxes hold a non-finite value at flat index \(bad)")
        }
        // Rows per clip (B) or per node (B·S·N), as the task's groups have them.
        for group in targets?.groups ?? [] {
            switch group.labels {
            case .multiHot(let y):
                guard y.rank == 2, y.shape[0] == b || y.shape[0] == b * segments * n else {
                    throw BatchError(
                        "\(group.name) labels \(Shape.describe(y.shape)) must be [B, C] with B = \(b), or one row per node"
                    )
                }
            case .classes(let c):
                guard c.count == b || c.count == b * segments * n else {
                    throw BatchError(
                        "\(c.count) \(group.name) labels for B = \(b) clips or B·S·N = \(b * segments * n) nodes")
                }
            }
        }
        self.clipIDs = clipIDs
        self.features = features
        self.boxes = boxes
        self.mask = mask
        self.categories = categories
        self.isHuman = isHuman
        self.targets = targets
        self.interactions = interactions
        self.frameCounts = frameCounts
        self.segments = segments
        self.segmentCounts = segmentCounts
    }
}

/// A batch that cannot be formed, and why.
public struct BatchError: Error, CustomStringConvertible, Equatable {
    public let problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { "invalid batch: \(problem)" }
}
