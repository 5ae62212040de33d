/// Joins the pieces of one entity's track that the frame-by-frame tracker broke apart. Extraction
/// sees the whole video, so a track that ends can be continued by one that begins later (an
/// entity hidden for longer than the tracker's gap, or lost when it turned sharply): two tracks
/// of the same class are joined when the second begins after the first ends, within `maximumGap`
/// sampled frames, near where the first was last seen (centres at most `maximumDistance` of the
/// larger box's larger side apart) and of the same colour (mean red, green and blue within
/// `maximumColourDifference`). The closest pairs are joined first; chains form (a piece joined
/// to one before it may be joined to one after it). The joined track keeps the first piece's id.
public enum TrackStitching {
    public struct Settings: Sendable {
        public var maximumGap = 24
        public var maximumDistance: Float = 1.5
        public var maximumColourDifference: Float = 0.12
        public init() {}
    }

    public static func stitch(_ tracks: [ExtractedTrack], settings: Settings = Settings()) -> [ExtractedTrack] {
        struct Span {
            let first: Int
            let last: Int
        }
        let spans = tracks.map { t in Span(first: t.observations.keys.min() ?? 0, last: t.observations.keys.max() ?? 0)
        }
        var candidates: [(cost: Float, from: Int, to: Int)] = []
        for a in tracks.indices {
            guard let end = tracks[a].observations[spans[a].last] else { continue }
            for b in tracks.indices where b != a && tracks[b].classIndex == tracks[a].classIndex {
                let gap = spans[b].first - spans[a].last
                guard gap > 0, gap <= settings.maximumGap, let start = tracks[b].observations[spans[b].first] else {
                    continue
                }
                let size = max(end.box.width, end.box.height, start.box.width, start.box.height, 1)
                let (p, q) = (end.box.centre, start.box.centre)
                let distance = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot() / size
                let colour = zip(end.colourMean, start.colourMean).map { abs($0 - $1) }.max() ?? 0
                guard distance <= settings.maximumDistance, colour <= settings.maximumColourDifference else { continue }
                candidates.append((distance + colour + Float(gap) / Float(settings.maximumGap), a, b))
            }
        }
        // Greedy, closest first; each piece has at most one successor and one predecessor.
        var next = [Int?](repeating: nil, count: tracks.count)
        var hasPrevious = [Bool](repeating: false, count: tracks.count)
        for c in candidates.sorted(by: { ($0.cost, $0.from, $0.to) < ($1.cost, $1.from, $1.to) }) {
            guard next[c.from] == nil, !hasPrevious[c.to] else { continue }
            next[c.from] = c.to  // `to` begins after `from` ends: chains run forward in time
            hasPrevious[c.to] = true
        }
        var joined: [ExtractedTrack] = []
        for start in tracks.indices where !hasPrevious[start] {
            var track = tracks[start]
            var at = next[start]
            while let piece = at {
                for (frame, o) in tracks[piece].observations { track.observations[frame] = o }
                at = next[piece]
            }
            joined.append(track)
        }
        return joined.sorted { $0.id < $1.id }
    }
}
