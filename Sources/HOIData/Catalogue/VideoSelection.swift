import Foundation

extension DataSplits {
    /// The clips of `videos` only, each split filtered on its own (a split left empty is none):
    /// a clip belongs to video V when its id is V or starts with V and a separator (`/`, `_`,
    /// `-`, `#`, `:`). A video found in no clip is an error naming a few ids there are.
    public func only(videos: [String]) throws -> DataSplits {
        func belongs(_ id: String, to v: String) -> Bool {
            id == v || (id.hasPrefix(v) && "/_-#:".contains(id[id.index(id.startIndex, offsetBy: v.count)]))
        }
        // Each clip is read once per view; the ids kept serve the check below too.
        func filtered(_ data: Dataset) throws -> (data: Dataset, ids: [String]) {
            var indices: [Int] = []
            var ids: [String] = []
            for i in 0..<data.count {
                let id = try data.clip(at: i).id
                guard videos.contains(where: { belongs(id, to: $0) }) else { continue }
                indices.append(i)
                ids.append(id)
            }
            return (data.subset(indices), ids)
        }
        let (kept, keptIDs) = try filtered(all)
        for v in videos where !keptIDs.contains(where: { belongs($0, to: v) }) {
            let some = try (0..<min(all.count, 5)).map { try all.clip(at: $0).id }
            throw DataRequestError(
                "--video-id \(v): no clip of that video in the data (its ids look like: \(some.joined(separator: ", ")))"
            )
        }
        func nonEmpty(_ d: Dataset?) throws -> Dataset? {
            guard let d else { return nil }
            let f = try filtered(d).data
            return f.count == 0 ? nil : f
        }
        return DataSplits(
            info: info, train: try filtered(train).data, validation: try nonEmpty(validation), test: try nonEmpty(test),
            all: kept, description: description + " videos \(videos.joined(separator: ","))", folds: folds)
    }
}
