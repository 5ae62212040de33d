import Foundation

extension DataSplits {
    /// The clips of `videos` only, each split filtered on its own (a split left empty is none):
    /// a clip belongs to video V when its id is V or starts with V and a separator (`/`, `_`,
    /// `-`, `#`, `:`). A video found in no clip is an error naming a few ids there are.
    public func only(videos: [String]) throws -> DataSplits {
        func matches(_ id: String) -> Bool {
            videos.contains { v in
                id == v || (id.hasPrefix(v) && "/_-#:".contains(id[id.index(id.startIndex, offsetBy: v.count)]))
            }
        }
        func filtered(_ data: Dataset) throws -> Dataset {
            data.subset(try (0..<data.count).filter { matches(try data.clip(at: $0).id) })
        }
        let kept = try filtered(all)
        let found = Set(try (0..<kept.count).map { try kept.clip(at: $0).id })
        for v in videos where !found.contains(where: { $0 == v || $0.hasPrefix(v) }) {
            let some = try (0..<min(all.count, 5)).map { try all.clip(at: $0).id }
            throw DataRequestError(
                "--video-id \(v): no clip of that video in the data (its ids look like: \(some.joined(separator: ", ")))"
            )
        }
        func nonEmpty(_ d: Dataset?) throws -> Dataset? {
            guard let d else { return nil }
            let f = try filtered(d)
            return f.count == 0 ? nil : f
        }
        return DataSplits(
            info: info, train: try filtered(train), validation: try nonEmpty(validation), test: try nonEmpty(test),
            all: kept, description: description + " videos \(videos.joined(separator: ","))", folds: folds)
    }
}
