import Autograd
import Foundation

/// The knobs of the synthetic human-object interaction benchmark. The same settings
/// and seed always give the same clips.
public struct SyntheticSettings: Codable, Sendable, Equatable {
    /// Clips per split: training, validation, test.
    public var trainClips = 3000
    public var validationClips = 300
    public var testClips = 600
    /// Frames per clip (T).
    public var frames = 24
    /// Appearance feature size (F).
    public var featureSize = 16
    /// Objects per clip, distractors included.
    public var minObjects = 2
    public var maxObjects = 6
    /// Actions per clip: 1 up to this.
    public var maxActions = 3
    /// Chance of a second, idle human.
    public var secondHumanRate: Float = 0.25
    /// Standard deviation of per-frame appearance noise (prototypes have unit variance).
    public var featureNoise: Float = 0.6
    /// Standard deviation of per-frame box jitter, in image fractions.
    public var boxNoise: Float = 0.004
    /// Chance that a distractor is hidden in a frame.
    public var occlusionRate: Float = 0.05
    public var seed: UInt64 = 0

    public init() {}

    /// The settings as JSON with sorted keys (how runs record their data).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Checks the settings can produce clips.
    public func validate() throws(SyntheticSettingsError) {
        func fail(_ p: String) -> SyntheticSettingsError { SyntheticSettingsError(problem: p) }
        guard trainClips >= 0, validationClips >= 0, testClips >= 0 else {
            throw fail("clip counts cannot be negative")
        }
        // Generated in memory: every clip of the three splits at once.
        let clips = ResourceLimits.sum([trainClips, validationClips, testClips], limit: .max) ?? .max
        let entities = maxObjects + 2
        guard frames <= 10_000, featureSize <= 1 << 16,
            ResourceLimits.product([clips, frames, entities, featureSize + 5]) != nil
        else {
            throw fail(
                "\(clips) clips of \(frames) frames, \(entities) entities and \(featureSize) features would not fit in memory (at most \(ResourceLimits.describe(elements: ResourceLimits.maximumElements)))"
            )
        }
        guard maxActions >= 1, maxActions <= 3 else { throw fail("maxActions must be 1, 2 or 3 (got \(maxActions))") }
        guard frames >= SyntheticScene.minimumSegment * maxActions else {
            let least = SyntheticScene.minimumSegment
            throw fail(
                "\(frames) frames (--frames) cannot hold \(maxActions) actions (--max-actions) of at least \(least) frames each: "
                    + "--frames must be at least \(least * maxActions)"
                    + (maxActions > 1
                        ? ", or lower --max-actions (\(maxActions - 1) needs \(least * (maxActions - 1)), 1 needs \(least))"
                        : ""))
        }
        guard featureSize >= 1 else { throw fail("featureSize must be at least 1") }
        guard minObjects >= 2, maxObjects >= minObjects, maxObjects <= 12 else {
            throw fail("objects per clip must satisfy 2 ≤ min ≤ max ≤ 12 (got \(minObjects)…\(maxObjects))")
        }
        guard featureNoise >= 0, boxNoise >= 0, (0...1).contains(secondHumanRate), (0...1).contains(occlusionRate)
        else {
            throw fail("noise levels must be ≥ 0 and rates within [0, 1]")
        }
    }
}

public struct SyntheticSettingsError: Error, CustomStringConvertible, Equatable {
    public let problem: String
    public var description: String { "synthetic benchmark: \(problem)" }
}
