import Autograd
import Foundation

/// Detections or tracks from a file in the MOT Challenge's CSV layout, one row per box:
/// `frame, id, x, y, w, h, conf, class[, …]`: the frame (1-based, every frame of the video),
/// the track id (-1 when not tracked), the box's top-left corner and size in pixels, the score,
/// and the class (0-based into `--classes`; absent or -1: class 0). Further columns (MOT's
/// visibility, world coordinates) are ignored. With every id given, the tracks are the file's;
/// otherwise the tracker links the boxes.
public struct MOTDetections: Sendable {
    public struct Row: Sendable, Equatable {
        public let frame: Int
        public let id: Int
        public let detection: Detection
    }

    public let rows: [Row]

    /// Whether the file gives tracks (every id ≥ 0), not only detections.
    public var tracked: Bool { !rows.isEmpty && rows.allSatisfy { $0.id >= 0 } }

    /// The rows of each frame.
    public var byFrame: [Int: [Row]] { Dictionary(grouping: rows, by: \.frame) }

    public static let maximumFrame = 100_000_000

    public static func read(_ url: URL, classes: Int) throws -> MOTDetections {
        let bytes: Data
        do { bytes = try InputFile.contents(of: url) } catch { throw DetectorError("--boxes \(url.path): \(error)") }
        do { return try parse(bytes, classes: classes) } catch {
            throw DetectorError("--boxes \(url.path): \(error.description)")
        }
    }

    /// The rows of `bytes`; `classes` is the number of class names (a class beyond is an error).
    public static func parse(_ bytes: Data, classes: Int) throws(DetectorError) -> MOTDetections {
        guard let text = String(data: bytes, encoding: .utf8) else { throw DetectorError("is not UTF-8 text") }
        var rows: [Row] = []
        var seen = Set<[Int]>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ p: String) -> DetectorError { DetectorError("line \(number + 1): \(p)") }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 6 else {
                throw fail("has \(fields.count) fields; frame,id,x,y,w,h[,conf,class] needs at least 6")
            }
            let numbers = fields.prefix(8).map { Double($0) }
            for (k, v) in numbers.enumerated() where v == nil || !v!.isFinite {
                throw fail("field \(k + 1) ('\(fields[k].prefix(40))') is not a finite number")
            }
            let n = numbers.map { $0! }
            guard n[0] == n[0].rounded(), n[0] >= 1, n[0] <= Double(maximumFrame) else {
                throw fail("the frame \(fields[0]) is not a whole number in 1…\(maximumFrame)")
            }
            guard n[1] == n[1].rounded(), n[1] >= -1, n[1] <= 1e9 else {
                throw fail("the id \(fields[1]) is not -1 or a whole number ≥ 0")
            }
            guard n[4] > 0, n[5] > 0, abs(n[2]) < 1e6, abs(n[3]) < 1e6, n[4] < 1e6, n[5] < 1e6 else {
                throw fail(
                    "the box (\(fields[2]), \(fields[3]), \(fields[4]), \(fields[5])) needs a positive width and height within a million pixels"
                )
            }
            let score = n.count > 6 ? n[6] : 1
            let classValue = n.count > 7 ? n[7] : 0
            guard classValue == classValue.rounded(), classValue >= -1, classValue < Double(classes) else {
                throw fail(
                    "the class \(fields.count > 7 ? fields[7] : "") is not -1 or a class index below \(classes)"
                        + " (--classes names the classes; without it the only class, 0, is person)")
            }
            let (frame, id) = (Int(n[0]), Int(n[1]))
            if id >= 0, !seen.insert([frame, id]).inserted {
                throw fail("track \(id) appears twice in frame \(frame)")
            }
            let box = PixelBox(x1: Float(n[2]), y1: Float(n[3]), x2: Float(n[2] + n[4]), y2: Float(n[3] + n[5]))
            rows.append(
                Row(
                    frame: frame, id: id,
                    detection: Detection(
                        box: box, classIndex: max(Int(classValue), 0), score: Float(min(max(score, 0), 1)))))
        }
        guard !rows.isEmpty else { throw DetectorError("holds no box") }
        return MOTDetections(rows: rows)
    }
}
