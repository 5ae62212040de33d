/// Links detections frame by frame into tracks: SORT's association (Bewley et al. 2016) with
/// ByteTrack's second round (Zhang et al. 2022), without a Kalman filter. Each track's box is
/// carried forward by its smoothed velocity; first the confident detections (score at least
/// `newTrackScore`) are assigned to tracks of their class by the minimum-cost assignment of
/// 1 − IoU, then the weak ones to the tracks still unmatched (a weak detection only continues a
/// track: a person half hidden, a blurred ball); pairs below `minimumOverlap` are never matched.
/// A track may go unseen for `maximumGap` frames (those frames are simply invisible); a
/// confident detection left over starts a track. Track ids count from 0 in order of birth, so
/// the same detections give the same ids.
public struct Tracker: Sendable {
    public struct Settings: Sendable {
        public var minimumOverlap: Float = 0.2
        public var maximumGap = 5
        /// Detections scoring below this continue tracks but never start one.
        public var newTrackScore: Float = 0
        public init() {}
    }

    struct Live {
        let id: Int
        let classIndex: Int
        var box: PixelBox
        var velocity = (x: Float(0), y: Float(0), w: Float(0), h: Float(0))
        var lastFrame: Int
        var hits = 1
    }

    public let settings: Settings
    var live: [Live] = []
    public private(set) var nextID = 0
    /// The weight of the latest step in a track's velocity (an exponential average: boxes jitter
    /// from frame to frame, and the last step alone would carry the jitter forward).
    static let velocityWeight: Float = 0.5

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The track id of each detection of frame `frame` (frames in increasing order); -1 for a
    /// weak detection that continued no track.
    public mutating func update(frame: Int, detections: [Detection]) -> [Int] {
        live.removeAll { frame - $0.lastFrame > settings.maximumGap + 1 }
        var ids = [Int](repeating: -1, count: detections.count)
        let confident = detections.indices.filter { detections[$0].score >= settings.newTrackScore }
        let weak = detections.indices.filter { detections[$0].score < settings.newTrackScore }
        let unmatched = associate(
            frame: frame, detections: detections, chosen: confident, tracks: Array(live.indices), ids: &ids)
        _ = associate(frame: frame, detections: detections, chosen: weak, tracks: unmatched, ids: &ids)
        for d in confident where ids[d] < 0 {
            live.append(
                Live(id: nextID, classIndex: detections[d].classIndex, box: detections[d].box, lastFrame: frame))
            ids[d] = nextID
            nextID += 1
        }
        return ids
    }

    /// Assigns detections `chosen` to the live tracks `tracks` (by index), setting their ids;
    /// returns the tracks left unmatched.
    mutating func associate(frame: Int, detections: [Detection], chosen: [Int], tracks: [Int], ids: inout [Int])
        -> [Int]
    {
        guard !chosen.isEmpty, !tracks.isEmpty else { return tracks }
        let predicted = tracks.map { live[$0].predicted(at: frame) }
        let blocked = 2.0
        let cost = chosen.map { d in
            tracks.indices.map { k -> Double in
                guard live[tracks[k]].classIndex == detections[d].classIndex else { return blocked }
                // The better of where its motion says it is and where it was last seen (OC-SORT's
                // observation-centric view: an entity that stops or turns is where it was, not
                // where its velocity carries it).
                let box = detections[d].box
                let overlap = max(
                    box.intersectionOverUnion(predicted[k]), box.intersectionOverUnion(live[tracks[k]].box))
                return overlap >= settings.minimumOverlap ? Double(1 - overlap) : blocked
            }
        }
        var matched = Set<Int>()
        for (row, k) in Assignment.minimumCost(cost).enumerated() {
            guard let k, cost[row][k] < blocked else { continue }
            live[tracks[k]].observe(detections[chosen[row]].box, frame: frame)
            ids[chosen[row]] = live[tracks[k]].id
            matched.insert(k)
        }
        return tracks.indices.filter { !matched.contains($0) }.map { tracks[$0] }
    }
}

extension Tracker.Live {
    /// The box carried forward by the velocity to `frame`.
    func predicted(at frame: Int) -> PixelBox {
        let steps = Float(frame - lastFrame)
        let v = velocity
        return PixelBox(
            x1: box.x1 + steps * (v.x - v.w / 2), y1: box.y1 + steps * (v.y - v.h / 2),
            x2: box.x2 + steps * (v.x + v.w / 2), y2: box.y2 + steps * (v.y + v.h / 2))
    }

    /// The track seen at `box` in `frame`: its velocity follows the step since it was last seen.
    mutating func observe(_ newBox: PixelBox, frame: Int) {
        let steps = Float(max(frame - lastFrame, 1))
        let (oc, nc) = (box.centre, newBox.centre)
        let step = (
            x: (nc.x - oc.x) / steps, y: (nc.y - oc.y) / steps, w: (newBox.width - box.width) / steps,
            h: (newBox.height - box.height) / steps
        )
        // The first step is the velocity; later ones are averaged in.
        let a = hits == 1 ? 1 : Tracker.velocityWeight
        velocity = (
            a * step.x + (1 - a) * velocity.x, a * step.y + (1 - a) * velocity.y, a * step.w + (1 - a) * velocity.w,
            a * step.h + (1 - a) * velocity.h
        )
        box = newBox
        lastFrame = frame
        hits += 1
    }
}
