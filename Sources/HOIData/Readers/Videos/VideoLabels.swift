import Autograd
import Foundation

/// The labels of a folder of extracted videos (`--dataset videos`): a CSV with a header and the
/// columns `video,actions[,split]`: the video's id (its `<id>.npz`), its actions as names of the
/// action list separated by `;` (empty: none), and `train` or `test` (absent: train). The
/// action list is a text file, one name per line.
public enum VideoLabels {
    public struct Video: Sendable, Equatable {
        public let id: String
        public let actions: [Int]
        public let test: Bool
    }

    /// One name per line (blank lines and `#` comments skipped), at most 100,000.
    public static func actionNames(_ url: URL) throws -> [String] {
        let text: String
        do { text = try InputFile.text(of: url) } catch { throw DataRequestError("\(url.path): \(error.problem)") }
        var names: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.hasPrefix("#") { continue }
            guard name.count <= 200, !name.contains(";"), !names.contains(name) else {
                throw DataRequestError(
                    "\(url.path) line \(number + 1): an action name is unique, at most 200 characters and holds no ';'")
            }
            guard names.count < 100_000 else { throw DataRequestError("\(url.path): more than 100,000 action names") }
            names.append(name)
        }
        guard !names.isEmpty else { throw DataRequestError("\(url.path): no action name") }
        return names
    }

    public static func read(_ url: URL, actions: [String]) throws -> [Video] {
        let bytes: Data
        do { bytes = try InputFile.contents(of: url) } catch { throw DataRequestError("\(url.path): \(error.problem)") }
        do { return try parse(bytes, actions: actions) } catch {
            throw DataRequestError("\(url.path): \(error.problem)")
        }
    }

    /// The videos of `bytes` (UTF-8 CSV), actions named from `actions`.
    public static func parse(_ bytes: Data, actions: [String]) throws(DataRequestError) -> [Video] {
        guard let text = String(data: bytes, encoding: .utf8) else { throw DataRequestError("is not UTF-8 text") }
        let rows: [[String]]
        do { rows = try CSVReader.rows(text) } catch { throw DataRequestError(error.description) }
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw DataRequestError("is empty")
        }
        guard let idColumn = header.firstIndex(of: "video"), let actionColumn = header.firstIndex(of: "actions") else {
            throw DataRequestError(
                "the header must name the columns video and actions (and optionally split), got \(header.prefix(5))")
        }
        let splitColumn = header.firstIndex(of: "split")
        let index = Dictionary(uniqueKeysWithValues: actions.enumerated().map { ($1, $0) })
        var seen = Set<String>()
        var videos: [Video] = []
        for (number, row) in rows.dropFirst().enumerated() {
            let line = number + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count > max(idColumn, actionColumn, splitColumn ?? 0) else {
                throw DataRequestError("line \(line) has \(row.count) fields")
            }
            let id = row[idColumn].trimmingCharacters(in: .whitespaces)
            guard CharadesAnnotations.isSafeID(id) else {
                throw DataRequestError("line \(line): '\(id.prefix(60))' is not a video id")
            }
            guard seen.insert(id).inserted else { throw DataRequestError("line \(line): video \(id) appears twice") }
            var classes: [Int] = []
            for name in row[actionColumn].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !name.isEmpty {
                guard let c = index[name] else {
                    throw DataRequestError("line \(line): '\(name.prefix(60))' is not in the action list")
                }
                classes.append(c)
            }
            var test = false
            if let splitColumn {
                switch row[splitColumn].trimmingCharacters(in: .whitespaces).lowercased() {
                case "", "train": test = false
                case "test": test = true
                case let other:
                    throw DataRequestError("line \(line): split '\(other.prefix(20))' is neither train nor test")
                }
            }
            videos.append(Video(id: id, actions: Array(Set(classes)).sorted(), test: test))
        }
        guard !videos.isEmpty else { throw DataRequestError("labels no video") }
        return videos
    }
}
