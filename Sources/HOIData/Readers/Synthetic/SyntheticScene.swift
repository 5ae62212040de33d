import Autograd

/// A point in normalised image coordinates (x right, y down).
struct Point: Sendable {
    var x: Float
    var y: Float

    static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }

    /// The point a fraction `t` of the way to `b`.
    func toward(_ b: Point, _ t: Float) -> Point { Point(x: x + (b.x - x) * t, y: y + (b.y - y) * t) }

    func distance(to b: Point) -> Float { ((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y)).squareRoot() }
}

/// What one action does during its segment of frames, relative to where the actor
/// stands when it starts: the actor's path, the object's path and visibility, and a
/// container if the action has one.
struct SegmentPlan {
    var actor: [Point]
    var object: [Point]
    var objectVisible: [Bool]
    var container: Point?
    /// Whether the object is visible before and after the segment.
    var visibleBefore: Bool
    var visibleAfter: Bool

    /// The same events in reverse order (catch from throw, take out from put into).
    func reversed() -> SegmentPlan {
        SegmentPlan(
            actor: actor.reversed(), object: object.reversed(), objectVisible: objectVisible.reversed(),
            container: container, visibleBefore: visibleAfter, visibleAfter: visibleBefore)
    }
}

/// The geometry of the verbs. Sizes: the actor's box is 0.10 × 0.28, objects are
/// 0.05–0.08 wide, so boxes touch when centres are closer than about 0.08 across and
/// 0.17 up or down. `dir` (±1) is the side the actor faces.
enum ActionGeometry {
    typealias Verb = SyntheticVocabulary.Verb
    static let hand = Float(0.06)

    /// Smooth 0→1 over [a, b] of the segment's time u ∈ [0, 1].
    static func ramp(_ u: Float, _ a: Float, _ b: Float) -> Float {
        let v = min(max((u - a) / (b - a), 0), 1)
        return v * v * (3 - 2 * v)
    }

    static func plan(_ verb: Verb, start p: Point, dir: Float, length: Int) -> SegmentPlan {
        let times = (0..<length).map { Float($0) / Float(max(length - 1, 1)) }
        func path(_ f: (Float) -> Point) -> [Point] { times.map(f) }
        let held = Point(x: dir * hand, y: 0)
        let always = [Bool](repeating: true, count: length)
        switch verb {
        case .approach:  // walk up to an object on a table, stop short of it
            let a = p + Point(x: dir * 0.42, y: 0.02)
            return SegmentPlan(
                actor: path { p.toward(p + Point(x: dir * 0.28, y: 0), ramp($0, 0, 1)) },
                object: path { _ in a }, objectVisible: always, visibleBefore: true, visibleAfter: true)
        case .lookAt:  // stand still facing an object at mid distance, slightly above
            let a = p + Point(x: dir * 0.22, y: -0.1)
            return SegmentPlan(
                actor: path { _ in p }, object: path { _ in a }, objectVisible: always,
                visibleBefore: true, visibleAfter: true)
        case .touch:  // reach the object, stay in contact briefly, step back
            let a = p + Point(x: dir * 0.15, y: 0)
            let near = p + Point(x: dir * 0.08, y: 0)
            return SegmentPlan(
                actor: path { u in u < 0.5 ? p.toward(near, ramp(u, 0, 0.35)) : near.toward(p, ramp(u, 0.65, 1)) },
                object: path { _ in a }, objectVisible: always, visibleBefore: true, visibleAfter: true)
        case .hold:  // keep the object in hand, standing
            return SegmentPlan(
                actor: path { _ in p }, object: path { _ in p + held }, objectVisible: always,
                visibleBefore: true, visibleAfter: true)
        case .carry:  // walk with the object in hand
            let route = path { p.toward(p + Point(x: dir * 0.35, y: 0), ramp($0, 0, 1)) }
            return SegmentPlan(
                actor: route, object: route.map { $0 + held }, objectVisible: always,
                visibleBefore: true, visibleAfter: true)
        case .putDown:  // carry, set the object down, walk on without it
            let route = path { p.toward(p + Point(x: dir * 0.4, y: 0), ramp($0, 0, 1)) }
            let release = 0.55 as Float
            let dropped = p.toward(p + Point(x: dir * 0.4, y: 0), ramp(release, 0, 1)) + held
            return SegmentPlan(
                actor: route, object: zip(times, route).map { u, h in u < release ? h + held : dropped },
                objectVisible: always, visibleBefore: true, visibleAfter: true)
        case .takeOut:  // put into, backwards, from a start that ends here
            return plan(.putInto, start: p + Point(x: -dir * 0.1, y: 0), dir: dir, length: length).reversed()
        case .putInto:  // carry the object to a container, drop it in (hidden), step back
            let b = p + Point(x: dir * 0.32, y: 0.06)
            let atB = p + Point(x: dir * 0.20, y: 0)
            let actor = path { u in
                u < 0.6 ? p.toward(atB, ramp(u, 0, 0.45)) : atB.toward(p + Point(x: dir * 0.1, y: 0), ramp(u, 0.7, 1))
            }
            let object = zip(times, actor).map { u, h in
                u < 0.45 ? h + held : (atB + held).toward(b, ramp(u, 0.45, 0.65))
            }
            return SegmentPlan(
                actor: actor, object: object, objectVisible: times.map { $0 <= 0.7 }, container: b,
                visibleBefore: true, visibleAfter: false)
        case .throwAway:  // hold, then the object flies out of view
            let object = path { u -> Point in
                let v = ramp(u, 0.35, 1)
                return p + held + Point(x: dir * 1.1 * v, y: -0.3 * v * (1.3 - v))
            }
            return SegmentPlan(
                actor: path { _ in p }, object: object,
                objectVisible: object.map { $0.x > 0 && $0.x < 1 && $0.y > 0 && $0.y < 1 },
                visibleBefore: true, visibleAfter: false)
        case .catchIt:  // throw, backwards
            return plan(.throwAway, start: p, dir: dir, length: length).reversed()
        }
    }
}

/// One entity's track while a clip is simulated.
struct Track {
    var center: [Point]
    var visible: [Bool]
    var size: Point
    var category: Int
    var isHuman: Bool
    /// Entity-task role of an object (`SyntheticVocabulary.roles`); -1 for humans.
    var role: Int
}

/// One action placed in a clip.
struct PlacedAction {
    let action: Int
    let frames: Range<Int>
    /// Indices in `SyntheticScene.objects`.
    let object: Int
    let container: Int?
}

/// A simulated clip: the actor, an optional idle bystander, the objects acted on and
/// distractors, frame by frame.
struct SyntheticScene {
    static let minimumSegment = 7
    static let actorSize = Point(x: 0.10, y: 0.28)

    let frames: Int
    var actor: Track
    var bystander: Track?
    var objects: [Track] = []
    var actions: [PlacedAction] = []
    /// Per frame, the object (index in `objects`) the actor interacts with, or -1.
    var interactions: [Int]

    init(settings: SyntheticSettings, generator g: inout SeededGenerator) {
        frames = settings.frames
        let t = frames
        var here = Point(x: g.uniform(0.25, 0.75), y: g.uniform(0.55, 0.68))
        actor = Track(
            center: Array(repeating: here, count: t), visible: Array(repeating: true, count: t),
            size: Self.actorSize, category: SyntheticVocabulary.person, isHuman: true, role: -1)
        interactions = Array(repeating: -1, count: t)

        // How many actions, which ones (distinct), and when.
        let roll = g.nextFloat()
        let count = min(settings.maxActions, roll < 0.4 ? 1 : roll < 0.8 ? 2 : 3)
        var pool = Array(0..<SyntheticVocabulary.actions.count)
        g.shuffle(&pool)
        let chosen = Array(pool.prefix(count))
        let segments = Self.layout(count: count, frames: t, generator: &g)

        var cursor = 0
        for (action, range) in zip(chosen, segments) {
            // Idle until the segment starts.
            for f in cursor..<range.lowerBound { actor.center[f] = here }
            let dir: Float = here.x < 0.5 ? 1 : -1
            let (verb, category) = SyntheticVocabulary.actions[action]
            let plan = ActionGeometry.plan(verb, start: here, dir: dir, length: range.count)
            let objectIndex = objects.count
            var object = Track(
                center: Array(repeating: plan.object[0], count: t),
                visible: Array(repeating: plan.visibleBefore, count: t),
                size: Point(x: g.uniform(0.05, 0.08), y: g.uniform(0.05, 0.08)),
                category: category, isHuman: false, role: verb.role)
            for (i, f) in range.enumerated() {
                actor.center[f] = plan.actor[i]
                object.center[f] = plan.object[i]
                object.visible[f] = plan.objectVisible[i]
            }
            for f in range.upperBound..<t {
                object.center[f] = plan.object.last!
                object.visible[f] = plan.visibleAfter
            }
            objects.append(object)
            var containerIndex: Int?
            if let b = plan.container {
                containerIndex = objects.count
                objects.append(
                    Track(
                        center: Array(repeating: b, count: t), visible: Array(repeating: true, count: t),
                        size: Point(x: g.uniform(0.14, 0.18), y: g.uniform(0.10, 0.13)),
                        category: SyntheticVocabulary.box, isHuman: false,
                        role: SyntheticVocabulary.container))
            }
            for f in range {
                // While the object is hidden in its container, the container is what the actor handles.
                interactions[f] = object.visible[f] || containerIndex == nil ? objectIndex : containerIndex!
            }
            actions.append(PlacedAction(action: action, frames: range, object: objectIndex, container: containerIndex))
            here = plan.actor.last!
            cursor = range.upperBound
        }
        for f in cursor..<t { actor.center[f] = here }

        addDistractors(settings: settings, generator: &g)
        if g.nextFloat() < settings.secondHumanRate { addBystander(generator: &g) }
    }

    /// Segments of at least `minimumSegment` frames, in order, with random gaps.
    static func layout(count: Int, frames: Int, generator g: inout SeededGenerator) -> [Range<Int>] {
        let slack = frames - count * minimumSegment
        // Split the slack into count + 1 gaps and count extensions at random cut points.
        var cuts = (0..<(2 * count)).map { _ in g.nextInt(below: slack + 1) }
        cuts.sort()
        let parts = zip(cuts + [slack], [0] + cuts).map { $0 - $1 }
        var segments: [Range<Int>] = []
        var start = 0
        for k in 0..<count {
            start += parts[2 * k]
            let length = minimumSegment + parts[2 * k + 1]
            segments.append(start..<(start + length))
            start += length
        }
        return segments
    }

    /// Untouched objects of the same categories, away from the actor's path.
    mutating func addDistractors(settings: SyntheticSettings, generator g: inout SeededGenerator) {
        let available = settings.maxObjects - objects.count
        let wanted = max(settings.minObjects - objects.count, available > 0 ? 1 + g.nextInt(below: available) : 0)
        for _ in 0..<max(wanted, 0) {
            var spot = Point(x: 0, y: 0)
            for _ in 0..<30 {
                spot = Point(x: g.uniform(0.05, 0.95), y: g.uniform(0.3, 0.85))
                let clear =
                    actor.center.allSatisfy { $0.distance(to: spot) > 0.2 }
                    && objects.allSatisfy {
                        $0.center[0].distance(to: spot) > 0.1 && $0.center[frames - 1].distance(to: spot) > 0.1
                    }
                if clear { break }
            }
            let visible = (0..<frames).map { _ in g.nextFloat() >= settings.occlusionRate }
            objects.append(
                Track(
                    center: Array(repeating: spot, count: frames), visible: visible,
                    size: Point(x: g.uniform(0.05, 0.08), y: g.uniform(0.05, 0.08)),
                    category: 1 + g.nextInt(below: SyntheticVocabulary.categories.count - 1), isHuman: false,
                    role: SyntheticVocabulary.untouched))
        }
    }

    /// A second human who stands apart and does nothing with the objects.
    mutating func addBystander(generator g: inout SeededGenerator) {
        var spot = Point(x: 0, y: 0)
        for _ in 0..<30 {
            spot = Point(x: g.uniform(0.05, 0.95), y: g.uniform(0.55, 0.68))
            if actor.center.allSatisfy({ abs($0.x - spot.x) > 0.2 }) { break }
        }
        let drift = Point(x: g.uniform(-0.05, 0.05), y: 0)
        bystander = Track(
            center: (0..<frames).map { spot.toward(spot + drift, Float($0) / Float(max(frames - 1, 1))) },
            visible: Array(repeating: true, count: frames), size: Self.actorSize,
            category: SyntheticVocabulary.person, isHuman: true, role: -1)
    }
}
