import Foundation

/// How long online updates took, by the segment's place in its video: whether an update's cost
/// stays flat as the video goes on (the state kept between updates) or grows with the prefix.
public struct UpdateTimes: Sendable {
    /// Per video, the seconds of each segment's update, in order.
    public let times: [[Double]]

    public init(_ times: [[Double]]) { self.times = times }

    /// The mean time of the update of segment `s` (1-based) over the videos that have one.
    public func mean(segment s: Int) -> Double? {
        let values = times.compactMap { $0.count >= s ? $0[s - 1] : nil }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The most segments a video has.
    public var longest: Int { times.map(\.count).max() ?? 0 }

    /// One line: the mean update time by segment (1-based) and the last segment's against the first's.
    public var summary: String {
        let count = times.joined().count
        guard count > 0 else { return "no updates" }
        let shown = (1...longest).compactMap { s in mean(segment: s).map { String(format: "%d: %.2f", s, $0 * 1000) } }
        var text =
            "\(count) updates over \(times.count) videos; mean update time in ms by update (segment, or window of frames): "
            + shown.joined(separator: ", ")
        if longest > 1, let first = mean(segment: 1), let last = mean(segment: longest), first > 0 {
            text += String(format: "; segment %d / segment 1: %.2f", longest, last / first)
        }
        return text
    }
}
