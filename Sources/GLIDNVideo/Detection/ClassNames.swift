import Autograd
import Foundation

/// A detector's class names: one per line, in the order of its outputs (`--classes`). Blank
/// lines and lines starting with `#` are skipped; a name is at most 200 characters and a file at
/// most 100,000 names.
public enum ClassNames {
    public static let maximumNames = 100_000

    /// The names that are people: person, human, people, pedestrian (any case).
    public static func humans(_ names: [String]) -> Set<Int> {
        Set(names.indices.filter { ["person", "human", "people", "pedestrian"].contains(names[$0].lowercased()) })
    }

    public static func read(_ url: URL) throws -> [String] {
        let bytes: Data
        do { bytes = try InputFile.contents(of: url) } catch { throw DetectorError("--classes \(url.path): \(error)") }
        do { return try parse(bytes) } catch {
            throw DetectorError("--classes \(url.path): \(error.description)")
        }
    }

    /// The names in `bytes` (UTF-8 text).
    public static func parse(_ bytes: Data) throws(DetectorError) -> [String] {
        guard let text = String(data: bytes, encoding: .utf8) else { throw DetectorError("is not UTF-8 text") }
        var names: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.count <= 200 else { throw DetectorError("line \(number + 1) is longer than 200 characters") }
            guard !line.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw DetectorError("line \(number + 1) holds a control character")
            }
            guard names.count < maximumNames else { throw DetectorError("holds more than \(maximumNames) names") }
            names.append(line)
        }
        guard !names.isEmpty else { throw DetectorError("holds no class name") }
        return names
    }
}
