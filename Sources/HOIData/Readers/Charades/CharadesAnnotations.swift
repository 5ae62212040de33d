import Autograd
import Foundation
import Logging

/// One video of a Charades annotation file.
public struct CharadesVideo: Sendable, Equatable {
    public struct Action: Sendable, Equatable {
        public let classIndex: Int
        public let start: Double
        public let end: Double

        public init(classIndex: Int, start: Double, end: Double) {
            self.classIndex = classIndex
            self.start = start
            self.end = end
        }
    }

    public let id: String
    public let scene: String
    public let length: Double
    public let actions: [Action]

    public init(id: String, scene: String, length: Double, actions: [Action]) {
        self.id = id
        self.scene = scene
        self.length = length
        self.actions = actions
    }

    /// The classes that occur in the video (sorted, without repeats).
    public var classes: [Int] { Array(Set(actions.map(\.classIndex))).sorted() }
}

/// The official Charades CSV files (`Charades_v1_train.csv`, `Charades_v1_test.csv`):
/// header `id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length`,
/// `actions` as `cNNN start end` triplets separated by `;`.
public enum CharadesAnnotations {
    static let logger = Logger(label: "glidn.data.charades")
    public static let classCount = 157
    /// Each class as its id and official name ("c000 Holding some clothes"), as output shows it.
    public static var classNames: [String] {
        officialNames.enumerated().map { String(format: "c%03d ", $0.offset) + $0.element }
    }

    public static func read(contentsOf url: URL) throws(CharadesError) -> [CharadesVideo] {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw CharadesError(path: url.path, problem: error.problem) }
        return try parse(text, path: url.path)
    }

    public static func parse(_ text: String, path: String) throws(CharadesError) -> [CharadesVideo] {
        let rows: [[String]]
        do { rows = try CSVReader.rows(text) } catch { throw CharadesError(path: path, problem: error.description) }
        guard let header = rows.first else { throw CharadesError(path: path, problem: "is empty") }
        func column(_ name: String) throws(CharadesError) -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw CharadesError(
                    path: path, problem: "has no '\(name)' column (header: \(header.joined(separator: ",")))")
            }
            return i
        }
        let (idColumn, sceneColumn, actionsColumn, lengthColumn) = (
            try column("id"), try column("scene"), try column("actions"), try column("length")
        )
        var videos: [CharadesVideo] = []
        var seen: [String: Int] = [:]
        var reversed: [String] = []
        for (r, row) in rows.dropFirst().enumerated() {
            func fail(_ problem: String) -> CharadesError {
                CharadesError(path: path, problem: "record \(r + 1): \(problem)")
            }
            guard row.count == header.count else { throw fail("has \(row.count) fields, the header \(header.count)") }
            let id = row[idColumn]
            guard isSafeID(id) else {
                throw fail("video id '\(id.prefix(60))' is empty or holds '/', '..' or a control character")
            }
            if let first = seen[id] { throw fail("video \(id) appears again (first in record \(first))") }
            seen[id] = r + 1
            let lengthText = row[lengthColumn].trimmingCharacters(in: .whitespaces)
            let length = Double(lengthText) ?? 0
            guard lengthText.isEmpty || (Double(lengthText).map { $0.isFinite && $0 >= 0 } ?? false) else {
                throw fail("video \(id): length '\(lengthText)' is not a non-negative number of seconds")
            }
            var actions: [CharadesVideo.Action] = []
            for triplet in row[actionsColumn].split(separator: ";") {
                let parts = triplet.split(separator: " ")
                guard parts.count == 3, parts[0].first == "c", let c = Int(parts[0].dropFirst()),
                    (0..<classCount).contains(c),
                    let start = Double(parts[1]), let end = Double(parts[2])
                else {
                    throw fail("video \(id): '\(triplet)' is not a 'cNNN start end' action")
                }
                guard start.isFinite, end.isFinite, start >= 0, end >= 0 else {
                    throw fail("video \(id): action '\(triplet)' has impossible times (start \(start), end \(end))")
                }
                // The official training file itself holds 7 actions that end before they
                // start; classification does not use the times, so they are kept, and counted.
                if start > end { reversed.append("record \(r + 1) (\(id) \(triplet))") }
                actions.append(.init(classIndex: c, start: start, end: end))
            }
            videos.append(CharadesVideo(id: id, scene: row[sceneColumn], length: length, actions: actions))
        }
        if !reversed.isEmpty {
            logger.notice(
                "\(path): \(reversed.count) actions end before they start (kept; times are not used for classification), e.g. \(reversed.prefix(3).joined(separator: ", "))"
            )
        }
        return videos
    }

    /// A video id that is safe to use as a file name: not empty, no path separator, not `.`
    /// or `..`, no control character.
    public static func isSafeID(_ id: String) -> Bool {
        !id.isEmpty && id != "." && id != ".." && !id.contains("/") && !id.contains("\\")
            && !id.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}

/// Charades data (or per-video feature files of any data set) that cannot be read, naming the
/// file (and video) and the problem.
public struct CharadesError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "\(path): \(problem)" }
}
