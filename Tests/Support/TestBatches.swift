import HOIData

extension Batch {
    /// Tests' shorthand for collating clips with their labels: the groups of the task their labels
    /// are of (video: `classes` action classes; entity: sub-activities and affordances per node).
    public static func testCollate(_ clips: [Clip], classes: Int = 0) throws(BatchError) -> Batch {
        let names = Set(clips.flatMap { $0.labels.groups.keys })
        let task = TaskKind.allCases.first { Set($0.groups.map(\.name)) == names }
        return try collate(clips, labels: (task?.groups ?? []).map { ($0, $0.rows == .clip ? classes : 1) })
    }
}
