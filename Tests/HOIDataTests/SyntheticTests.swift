import Autograd
import HOIData
import Testing

@Suite("The synthetic benchmark")
struct SyntheticTests {
    static func settings(seed: UInt64 = 0) -> SyntheticSettings {
        var s = SyntheticSettings()
        s.trainClips = 60
        s.validationClips = 10
        s.testClips = 10
        s.seed = seed
        return s
    }

    static func iou(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        let a = Array(a)
        let b = Array(b)
        let iw = max(0, min(a[2], b[2]) - max(a[0], b[0]))
        let ih = max(0, min(a[3], b[3]) - max(a[1], b[1]))
        let inter = iw * ih
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)
    }

    @Test("the same seed gives the same clips; another seed or split gives others")
    func determinism() throws {
        let a = try SyntheticHOI.dataset(Self.settings(), split: .train, task: .video)
        let b = try SyntheticHOI.dataset(Self.settings(), split: .train, task: .video)
        let c = try SyntheticHOI.dataset(Self.settings(seed: 1), split: .train, task: .video)
        let v = try SyntheticHOI.dataset(Self.settings(), split: .validation, task: .video)
        for i in 0..<a.count {
            let (x, y) = (try a.clip(at: i), try b.clip(at: i))
            #expect(x.features == y.features && x.boxes == y.boxes && x.labels == y.labels)
        }
        #expect(try a.clip(at: 0).boxes != c.clip(at: 0).boxes)
        #expect(try a.clip(at: 0).boxes != v.clip(at: 0).boxes)
        // The entity task sees the same geometry, labelled per entity.
        let e = try SyntheticHOI.dataset(Self.settings(), split: .train, task: .entity)
        #expect(try e.clip(at: 3).boxes == a.clip(at: 3).boxes)
    }

    @Test("clips hold 1–3 actions, 2–6 objects, one actor first, and point at real objects")
    func structure() throws {
        let data = try SyntheticHOI.dataset(Self.settings(), split: .train, task: .video)
        var seenCounts = Set<Int>()
        for i in 0..<data.count {
            let clip = try data.clip(at: i)
            guard let classes = clip.labels.actions else {
                Issue.record("video labels expected")
                return
            }
            seenCounts.insert(classes.count)
            #expect((1...3).contains(classes.count))
            let objects = clip.isHuman.filter { !$0 }.count
            #expect((2...6).contains(objects), "\(objects) objects")
            #expect(clip.isHuman[0] && clip.categories[0] == SyntheticVocabulary.person)
            #expect((0..<clip.frames).allSatisfy { clip.mask[$0 * clip.entities] == 1 }, "the actor is always visible")
            for target in clip.interactions! where target >= 0 { #expect(!clip.isHuman[target]) }
        }
        #expect(seenCounts == [1, 2, 3])
    }

    @Test("verbs have their geometry: contact when holding, none when looking or approaching")
    func geometry() throws {
        var s = Self.settings()
        s.maxActions = 1
        s.trainClips = 150
        let data = try SyntheticHOI.dataset(s, split: .train, task: .video)
        var checked = Set<SyntheticVocabulary.Verb>()
        for i in 0..<data.count {
            let clip = try data.clip(at: i)
            guard let classes = clip.labels.actions, let action = classes.first else { continue }
            let verb = SyntheticVocabulary.actions[action].verb
            let n = clip.entities
            let frames = (0..<clip.frames).filter { clip.interactions![$0] >= 0 }
            let overlaps = frames.map { f -> Float in
                let t = clip.interactions![f]
                guard clip.mask[f * n + t] == 1 else { return -1 }
                return Self.iou(
                    clip.boxes[(f * n * 4)..<(f * n * 4 + 4)], clip.boxes[((f * n + t) * 4)..<((f * n + t) * 4 + 4)])
            }
            switch verb {
            case .hold, .carry:
                #expect(overlaps.allSatisfy { $0 > 0 }, "\(verb) keeps contact")
                checked.insert(verb)
            case .lookAt, .approach:
                #expect(overlaps.allSatisfy { $0 == 0 }, "\(verb) never touches")
                checked.insert(verb)
            case .touch:
                #expect(
                    overlaps.contains { $0 > 0 } && overlaps.contains { $0 == 0 },
                    "touch: some contact, not all the time")
                checked.insert(verb)
            case .putInto, .throwAway:
                #expect(
                    clip.mask[(clip.frames - 1) * n + clip.interactions![frames[0]]] == 0,
                    "\(verb): the object ends hidden")
                checked.insert(verb)
            case .takeOut, .catchIt:
                let object = clip.interactions![frames.last!]
                #expect(
                    clip.mask[object] == 0 && clip.mask[(clip.frames - 1) * n + object] == 1,
                    "\(verb): the object appears")
                checked.insert(verb)
            default: break
            }
        }
        #expect(checked.count == 9, "all checked verbs occurred: \(checked)")
    }

    @Test("entity labels: the actor's verb, an idle bystander, object roles")
    func entityLabels() throws {
        let data = try SyntheticHOI.dataset(Self.settings(), split: .train, task: .entity)
        var sawBystander = false
        for i in 0..<data.count {
            let clip = try data.clip(at: i)
            guard let (human, object) = clip.labels.entity else {
                Issue.record("entity labels expected")
                return
            }
            #expect((0..<SyntheticVocabulary.idle).contains(human[0]))
            for e in 1..<clip.entities {
                if clip.isHuman[e] {
                    sawBystander = true
                    #expect(human[e] == SyntheticVocabulary.idle && object[e] == -1)
                } else {
                    #expect(human[e] == -1 && (0..<SyntheticVocabulary.roles.count).contains(object[e]))
                }
            }
            #expect(object.contains(SyntheticVocabulary.untouched), "every clip has a distractor")
        }
        #expect(sawBystander)
    }

    @Test("impossible settings are refused with the reason")
    func badSettings() {
        var s = Self.settings()
        s.frames = 10
        #expect { _ = try SyntheticHOI.dataset(s, split: .train, task: .video) } throws: {
            "\($0)".contains(
                "10 frames (--frames) cannot hold 3 actions (--max-actions) of at least 7 frames each: --frames must be at least 21"
            )
        }
        s = Self.settings()
        s.maxObjects = 1
        #expect(throws: SyntheticSettingsError.self) { _ = try SyntheticHOI.dataset(s, split: .train, task: .video) }
    }
}
