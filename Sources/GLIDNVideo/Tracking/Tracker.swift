/// Links detections frame by frame into tracks, after SORT (Bewley et al. 2016) without its
/// Kalman filter: each track's box is carried forward by its last velocity, detections are
/// assigned to tracks of their class by the minimum-cost assignment of 1 - IoU (pairs below
/// `minimumOverlap` are not matched), a track may go unseen for `maximumGap` frames (the gap
/// is bridged: those frames are simply invisible), and a detection left over starts a track.
/// Track ids count from 0 in order of birth, so the same detections give the same ids.
public struct Tracker: Sendable {
    public struct Settings: Sendable {
        public var minimumOverlap: Float = 0.2
        public var maximumGap = 5
        public init() {}
    }

    struct Live {
        let id: Int
        let classIndex: Int
        var box: PixelBox
        var velocity = (x: Float(0), y: Float(0), w: Float(0), h: Float(0))
        var lastFrame: Int
    }

    public let settings: Settings
    var live: [Live] = []
    public private(set) var nextID = 0

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The track id of each detection of frame `frame` (frames in increasing order).
    public mutating func update(frame: Int, detections: [Detection]) -> [Int] {
        live.removeAll { frame - $0.lastFrame > settings.maximumGap + 1 }
        let predicted = live.map { track -> PixelBox in
            let steps = Float(frame - track.lastFrame)
            let v = track.velocity
            return PixelBox(
                x1: track.box.x1 + steps * (v.x - v.w / 2), y1: track.box.y1 + steps * (v.y - v.h / 2),
                x2: track.box.x2 + steps * (v.x + v.w / 2), y2: track.box.y2 + steps * (v.y + v.h / 2))
        }
        var ids = [Int](repeating: -1, count: detections.count)
        if !live.isEmpty && !detections.isEmpty {
            let blocked = 2.0
            let cost = detections.map { d in
                predicted.indices.map { t -> Double in
                    guard live[t].classIndex == d.classIndex else { return blocked }
                    let overlap = d.box.intersectionOverUnion(predicted[t])
                    return overlap >= settings.minimumOverlap ? Double(1 - overlap) : blocked
                }
            }
            for (d, t) in Assignment.minimumCost(cost).enumerated() {
                guard let t, cost[d][t] < blocked else { continue }
                let box = detections[d].box
                let steps = Float(max(frame - live[t].lastFrame, 1))
                let (old, oc, nc) = (live[t].box, live[t].box.centre, box.centre)
                live[t].velocity = (
                    (nc.x - oc.x) / steps, (nc.y - oc.y) / steps, (box.width - old.width) / steps,
                    (box.height - old.height) / steps
                )
                live[t].box = box
                live[t].lastFrame = frame
                ids[d] = live[t].id
            }
        }
        for d in detections.indices where ids[d] < 0 {
            live.append(
                Live(id: nextID, classIndex: detections[d].classIndex, box: detections[d].box, lastFrame: frame))
            ids[d] = nextID
            nextID += 1
        }
        return ids
    }
}
