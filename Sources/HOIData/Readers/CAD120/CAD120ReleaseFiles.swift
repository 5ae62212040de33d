import Foundation

/// The text files of the CAD-120 release, one parser each, from their lines (blank lines
/// dropped, fields trimmed): every value is checked, and a bad one is an error naming the
/// file and the line.
public enum CAD120ReleaseFiles {
    /// One line of `labeling.txt`, checked against `activityLabel.txt`.
    public struct LabelRow: Sendable, Equatable {
        public let line: Int
        public let video: String
        public let start: Int
        public let end: Int
        public let subactivity: Int
        public let affordances: [Int]
        public let objectTypes: [Int]
    }

    static func fields(_ line: String) -> [String] { CAD120AnnotationReader.fields(line) }

    /// A file's lines, trimmed, blank ones dropped.
    public static func lines(of text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `activityLabel.txt`: `video,activity,subject,1:type,2:type,…` → the object types of each video.
    public static func activityLabels(_ lines: [String], path: String) throws(CAD120Error) -> [String: [Int]] {
        var objectTypes: [String: [Int]] = [:]
        for (number, line) in lines.enumerated() {
            let f = fields(line).filter { !$0.isEmpty }
            guard f.count >= 3 else {
                throw CAD120Error(path: path, problem: "line \(number + 1) has fewer than 3 fields")
            }
            var types: [Int] = []
            for entry in f.dropFirst(3) {
                let name = entry.split(separator: ":").last.map(String.init) ?? entry
                guard let index = CAD120Vocabulary.objectIndex(name) else {
                    throw CAD120Error(
                        path: path,
                        problem:
                            "line \(number + 1): unknown object type '\(name)' (known: \(CAD120Vocabulary.objects.joined(separator: ", ")))"
                    )
                }
                types.append(index)
            }
            objectTypes[f[0]] = types
        }
        return objectTypes
    }

    /// `labeling.txt`: `video,start,end,sub-activity,affordance…`, one affordance per object.
    public static func labeling(_ lines: [String], path: String, objectTypes: [String: [Int]]) throws(CAD120Error)
        -> [LabelRow]
    {
        var rows: [LabelRow] = []
        for (number, line) in lines.enumerated() {
            func fail(_ p: String) -> CAD120Error { CAD120Error(path: path, problem: "line \(number + 1): \(p)") }
            let f = fields(line).filter { !$0.isEmpty }
            guard f.count >= 4, let start = Int(f[1]), let end = Int(f[2]), start <= end else {
                throw fail("expected video,start,end,sub-activity,affordances…")
            }
            guard start >= 0, end <= CAD120AnnotationReader.maximumFrame else {
                throw fail("frames \(start)-\(end) lie outside 0…\(CAD120AnnotationReader.maximumFrame)")
            }
            let video = f[0]
            guard let types = objectTypes[video] else { throw fail("video \(video) is not in activityLabel.txt") }
            guard let subactivity = CAD120Vocabulary.subactivities.firstIndex(of: f[3]) else {
                throw fail("unknown sub-activity '\(f[3])'")
            }
            let affordanceNames = Array(f.dropFirst(4))
            guard affordanceNames.count == types.count else {
                throw fail("\(affordanceNames.count) affordances for the \(types.count) objects of video \(video)")
            }
            var affordances: [Int] = []
            for name in affordanceNames {
                guard let a = CAD120Vocabulary.affordances.firstIndex(of: name) else {
                    throw fail("unknown affordance '\(name)'")
                }
                affordances.append(a)
            }
            rows.append(
                LabelRow(
                    line: number + 1, video: video, start: start, end: end, subactivity: subactivity,
                    affordances: affordances, objectTypes: types))
        }
        return rows
    }

    /// Joint positions (15 × 3, millimetres) by frame number.
    public static func skeleton(_ all: [String], path: String) throws(CAD120Error) -> [Int: [Float]] {
        var out: [Int: [Float]] = [:]
        guard all.last == "END" else { throw CAD120Error(path: path, problem: "does not end with END (truncated?)") }
        for (number, line) in all.dropLast().enumerated() {
            let values = fields(line).filter { !$0.isEmpty }.map { Float($0) }
            guard values.count == CAD120AnnotationReader.numbersPerLine,
                values.allSatisfy({ $0 != nil && $0!.isFinite })
            else {
                throw CAD120Error(
                    path: path,
                    problem:
                        "line \(number + 1) has \(values.count) values, not \(CAD120AnnotationReader.numbersPerLine) numbers"
                )
            }
            let v = values.map { $0! }
            guard let frame = CAD120AnnotationReader.frameNumber(v[0]) else {
                throw CAD120Error(
                    path: path,
                    problem:
                        "line \(number + 1): frame number \(v[0]) is not a whole number in 0…\(CAD120AnnotationReader.maximumFrame)"
                )
            }
            var joints: [Float] = []
            for j in 0..<CAD120AnnotationReader.jointCount {
                let start = j < 11 ? 1 + j * 14 + 10 : 1 + 11 * 14 + (j - 11) * 4
                joints += v[start..<(start + 3)]
            }
            out[frame] = joints
        }
        return out
    }

    /// Normalised boxes by frame number; all-zero boxes (no detection) are left out.
    public static func objectTrack(_ all: [String], path: String) throws(CAD120Error) -> [Int: [Float]] {
        var out: [Int: [Float]] = [:]
        for (number, line) in all.enumerated() where line != "END" {
            let values = fields(line).filter { !$0.isEmpty }.map { Float($0) }
            guard values.count >= 6, values.prefix(6).allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw CAD120Error(path: path, problem: "line \(number + 1) is not frame,object,x1,y1,x2,y2,…")
            }
            let v = values.prefix(6).map { $0! }
            guard let frame = CAD120AnnotationReader.frameNumber(v[0]) else {
                throw CAD120Error(
                    path: path,
                    problem:
                        "line \(number + 1): frame number \(v[0]) is not a whole number in 0…\(CAD120AnnotationReader.maximumFrame)"
                )
            }
            if v[2] == 0 && v[3] == 0 && v[4] == 0 && v[5] == 0 { continue }
            out[frame] = [
                v[2] / CAD120Vocabulary.imageWidth, v[3] / CAD120Vocabulary.imageHeight,
                v[4] / CAD120Vocabulary.imageWidth, v[5] / CAD120Vocabulary.imageHeight,
            ]
        }
        return out
    }
}
