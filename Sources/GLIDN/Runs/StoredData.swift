import Autograd
import Foundation
import HOIData
import Settings

/// The data settings a run stores in every checkpoint (`metadataKey`), so that `evaluate`,
/// `predict` and `train --resume` rebuild the same data unless told otherwise. Paths are
/// stored absolute, so that a checkpoint used from another folder still finds its data.
public enum StoredData {
    public static let metadataKey = "data_options"

    /// The JSON stored for `request`: the settings given, paths made absolute.
    public static func json(_ request: DataRequest) -> String {
        var values = request.values
        for setting in DataSettings.pathSettings {
            if let path = values.given(setting) ?? nil {
                values[setting] = URL(fileURLWithPath: path).standardizedFileURL.path
            }
        }
        let settings = (try? request.provider.allSettings) ?? [DataSettings.dataset]
        var object = values.jsonObject(settings, includingDefaults: false)
        object[DataSettings.dataset.key] = request.datasetName
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The data settings stored in a checkpoint's metadata, if it has them (older checkpoints
    /// do not); nil too when they cannot be read.
    public static func settings(in metadata: [String: String]) -> SettingValues? {
        guard let text = metadata[metadataKey],
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        else { return nil }
        let name =
            (object[DataSettings.dataset.key] ?? object[DataSettings.dataset.name]) as? String
            ?? DataSettings.dataset.defaultValue
        guard let provider = Catalogues.datasets.entry(named: name) else { return nil }
        return try? SettingValues.decode(object, settings: provider.allSettings, source: metadataKey)
    }

    /// The data to score a checkpoint on: the `given` settings over those its training run
    /// `stored`. Naming another source (data set or files) drops the stored files and their
    /// split; naming the same files again keeps the split (so that a score never silently
    /// includes the training videos).
    public static func request(given: SettingValues, stored: SettingValues?) -> DataRequest {
        guard var kept = stored else { return DataRequest(given) }
        if namesOtherData(given: given, stored: kept) {
            // Other files of the same data set, unless another data set is named.
            for s in DataSettings.sources + DataSettings.split
            where s.name != DataSettings.dataset.name || given.isGiven(DataSettings.dataset.name) {
                kept.remove(s)
            }
        }
        return DataRequest(given.over(kept))
    }

    /// Whether `given` names other data than the `stored` training data (another data set or
    /// other files); naming the same again is not other data.
    public static func namesOtherData(given: SettingValues, stored: SettingValues) -> Bool {
        DataSettings.sources.contains { s in given.isGiven(s.name) && !sameValue(given, stored, s) }
    }

    /// Whether two sets of values hold the same value of `setting` (paths compared as files).
    static func sameValue(_ a: SettingValues, _ b: SettingValues, _ setting: any AnySetting) -> Bool {
        let (x, y) = (a.text(setting), b.text(setting))
        guard DataSettings.paths.contains(where: { $0.name == setting.name }) else { return x == y }
        return canonical(x) == canonical(y)
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Each data setting whose value differs between `request` and the `stored` settings, as
    /// "--name A (in training: B)".
    public static func differences(_ request: DataRequest, stored: SettingValues) -> [String] {
        // --video-id filters clips of the same data: not a difference from training.
        let settings = ((try? request.provider.allSettings) ?? []).filter { $0.name != DataSettings.videoID.name }
        return settings.compactMap { s in
            sameValue(request.values, stored, s)
                ? nil : "\(s.option) \(request.values.text(s)) (in training: \(stored.text(s)))"
        }
    }

    /// The metadata entry with the identity of every data file the run read.
    public static let filesKey = "data_files"

    public static func filesJSON(_ files: [FileIdentity]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(files)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The data files stored in `metadata` (none for runs written before they were stored).
    public static func files(in metadata: [String: String]) -> [FileIdentity] {
        guard let text = metadata[filesKey] else { return [] }
        return (try? JSONDecoder().decode([FileIdentity].self, from: Data(text.utf8))) ?? []
    }

    /// Each stored file that is not what was read now: "PATH: in training SIZE bytes, CRC-32C
    /// A; now SIZE bytes, CRC-32C B" (or "now missing"). Files read now that training did not
    /// read are not changes of its data.
    public static func changes(stored: [FileIdentity], now: [FileIdentity]) -> [String] {
        let current = Dictionary(now.map { ($0.path, $0) }) { a, _ in a }
        return stored.compactMap { old in
            guard let new = current[old.path] else {
                return FileManager.default.fileExists(atPath: old.path) ? nil : "\(old.path): now missing"
            }
            return new == old ? nil : "\(old.path): in training \(old.summary); now \(new.summary)"
        }
    }
}
