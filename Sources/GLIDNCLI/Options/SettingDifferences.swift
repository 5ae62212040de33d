import Foundation

/// How two sets of settings differ, key by key, for messages that name the option a user
/// would type: "--hidden 16 (the stored run: 8)". Shared by `train --resume` (conflicts with
/// the stored run) and `evaluate`/`predict` (data other than in training).
enum SettingDifferences {
    /// The top-level keys of a JSON object and their values as text.
    static func values(_ json: String) -> [String: String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        return object.mapValues { "\($0)" }
    }

    /// "NAME given (otherName: other)" for each key (in `keys` order, else sorted) whose
    /// values differ; a key one side lacks shows as `missing`.
    static func listed(_ given: [String: String], _ other: [String: String], otherName: String, missing: String,
                       keys: [String]? = nil, name: (String) -> String) -> [String] {
        (keys ?? Set(given.keys).union(other.keys).sorted()).compactMap { key in
            let (a, b) = (given[key], other[key])
            return a == b ? nil : "\(name(key)) \(a ?? missing) (\(otherName): \(b ?? missing))"
        }
    }
}
