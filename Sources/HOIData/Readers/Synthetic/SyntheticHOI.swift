import Autograd

/// The built-in synthetic human-object interaction benchmark, generated in memory.
///
/// Each clip shows an actor doing 1–3 actions in turn, each a verb done to its own
/// object (see `SyntheticVocabulary`, `ActionGeometry`), among untouched distractor
/// objects of the same categories and sometimes an idle second human. Appearance features are a category prototype plus
/// an identity per entity plus noise per frame, so appearance says *what* is there
/// but only the boxes over time say *what is done with what*.
public enum SyntheticHOI {
    public enum Split: String, CaseIterable, Sendable {
        case train, validation, test
        var salt: UInt64 {
            switch self {
            case .train: 0x7472_6169_6E00_0001
            case .validation: 0x7661_6C00_0000_0002
            case .test: 0x7465_7374_0000_0003
            }
        }
    }

    public static func info(_ settings: SyntheticSettings, task: TaskKind) -> DatasetInfo {
        DatasetInfo(
            name: "synthetic", task: task, featureSize: settings.featureSize,
            categoryNames: SyntheticVocabulary.categories,
            classNames: task == .video ? SyntheticVocabulary.actionNames : [],
            subactivityNames: task == .entity ? SyntheticVocabulary.subactivities : [],
            affordanceNames: task == .entity ? SyntheticVocabulary.roles : [],
            timeReversedPairs: task == .video ? SyntheticVocabulary.orderPairs.map { ClassPair($0.0, $0.1) } : [])
    }

    /// One split, labelled for `task`. Every clip has its own generator derived from the
    /// seed, the split and its index, so any clip can be regenerated alone.
    public static func dataset(_ settings: SyntheticSettings, split: Split, task: TaskKind) throws -> Dataset {
        try settings.validate()
        let count: Int
        switch split {
        case .train: count = settings.trainClips
        case .validation: count = settings.validationClips
        case .test: count = settings.testClips
        }
        let prototypes = Self.prototypes(settings)
        let clips = (0..<count).map { i in
            clip(settings: settings, split: split, index: i, task: task, prototypes: prototypes)
        }
        return Dataset(info: info(settings, task: task), clips: clips)
    }

    /// Category prototypes, shared by all splits: fixed by the seed alone.
    static func prototypes(_ s: SyntheticSettings) -> [[Float]] {
        var g = SeededGenerator(seed: s.seed ^ 0x7072_6F74_6F74_7970)
        return SyntheticVocabulary.categories.map { _ in (0..<s.featureSize).map { _ in g.normal() } }
    }

    static func clip(settings s: SyntheticSettings, split: Split, index: Int, task: TaskKind, prototypes: [[Float]])
        -> Clip
    {
        var g = SeededGenerator(
            seed: s.seed &* 0x9E37_79B9_7F4A_7C15 ^ split.salt &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        let scene = SyntheticScene(settings: s, generator: &g)

        // Entities: the actor first, then the bystander and the objects in random order.
        var others: [(track: Track, object: Int?)] = scene.objects.enumerated().map { ($0.element, $0.offset) }
        if let b = scene.bystander { others.append((b, nil)) }
        g.shuffle(&others)
        let tracks = [scene.actor] + others.map(\.track)
        var entityOfObject = [Int](repeating: -1, count: scene.objects.count)
        for (position, entry) in others.enumerated() {
            if let o = entry.object { entityOfObject[o] = position + 1 }
        }

        let (t, n, f) = (s.frames, tracks.count, s.featureSize)
        var features = [Float](repeating: 0, count: t * n * f)
        var boxes = [Float](repeating: 0, count: t * n * 4)
        var mask = [Float](repeating: 0, count: t * n)
        let identities = tracks.map { _ in (0..<f).map { _ in 0.5 * g.normal() } }
        for frame in 0..<t {
            for (e, track) in tracks.enumerated() where track.visible[frame] {
                let k = frame * n + e
                mask[k] = 1
                let c = track.center[frame]
                let (hw, hh) = (track.size.x / 2, track.size.y / 2)
                let jitter = (0..<4).map { _ in s.boxNoise * g.normal() }
                boxes[4 * k] = c.x - hw + jitter[0]
                boxes[4 * k + 1] = c.y - hh + jitter[1]
                boxes[4 * k + 2] = c.x + hw + jitter[2]
                boxes[4 * k + 3] = c.y + hh + jitter[3]
                let prototype = prototypes[track.category]
                for q in 0..<f { features[k * f + q] = prototype[q] + identities[e][q] + s.featureNoise * g.normal() }
            }
        }

        // The same scene labelled for either task the benchmark serves.
        var labels = ClipLabels.video(classes: scene.actions.map(\.action).sorted())
        if task == .entity {
            // The actor's sub-activity is its longest action (the first on ties).
            let main = scene.actions.max { a, b in
                a.frames.count < b.frames.count
                    || (a.frames.count == b.frames.count && a.frames.lowerBound > b.frames.lowerBound)
            }!
            let verb = SyntheticVocabulary.actions[main.action].verb.rawValue
            let human = tracks.enumerated().map { e, track in
                track.isHuman ? (e == 0 ? verb : SyntheticVocabulary.idle) : -1
            }
            let object = tracks.map { $0.isHuman ? -1 : $0.role }
            labels = .entity(human: human, object: object)
        }
        let interactions = scene.interactions.map { $0 < 0 ? -1 : entityOfObject[$0] }
        do {
            return try Clip(
                id: "\(split.rawValue)-\(index)", frames: t, entities: n, featureSize: f, features: features,
                boxes: boxes, mask: mask, categories: tracks.map(\.category), isHuman: tracks.map(\.isHuman),
                labels: labels, interactions: interactions)
        } catch {
            fatalError("internal: the synthetic generator made an invalid clip: \(error)")
        }
    }
}
