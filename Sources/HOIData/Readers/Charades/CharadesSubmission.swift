import Autograd
import Foundation

/// The official Charades classification evaluation (`Charades_v1_classify.m`) on a
/// submission file: one line per video, its id and 157 scores separated by spaces.
public enum CharadesSubmission {
    public struct Scores: Sendable {
        public let ids: [String]
        public let scores: [[Float]]

        public init(ids: [String], scores: [[Float]]) {
            self.ids = ids
            self.scores = scores
        }
    }

    public static func read(contentsOf url: URL, classes: Int = CharadesAnnotations.classCount) throws(CharadesError)
        -> Scores
    {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw CharadesError(path: url.path, problem: error.problem) }
        return try parse(text, path: url.path, classes: classes)
    }

    public static func parse(_ text: String, path: String, classes: Int = CharadesAnnotations.classCount)
        throws(CharadesError) -> Scores
    {
        let url = URL(fileURLWithPath: path)
        var ids: [String] = []
        var scores: [[Float]] = []
        var seen = Set<String>()
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !parts.isEmpty else { continue }
            guard parts.count == classes + 1 else {
                throw CharadesError(
                    path: url.path, problem: "line \(number + 1) has \(parts.count - 1) scores, not \(classes)")
            }
            let values = parts.dropFirst().map { Float($0) }
            guard values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw CharadesError(
                    path: url.path, problem: "line \(number + 1) holds a score that is not a finite number")
            }
            let id = String(parts[0])
            guard CharadesAnnotations.isSafeID(id) else {
                throw CharadesError(
                    path: url.path,
                    problem: "line \(number + 1): video id '\(id.prefix(60))' holds '/', '..' or a control character")
            }
            guard seen.insert(id).inserted else {
                throw CharadesError(path: url.path, problem: "video \(id) appears twice")
            }
            ids.append(id)
            scores.append(values.map { $0! })
        }
        return Scores(ids: ids, scores: scores)
    }
}
