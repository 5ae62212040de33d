import HOIData

/// Scores a Charades submission as `Charades_v1_classify.m` does: per-class AP over the
/// annotated videos that have at least one action, mAP over the classes with a
/// positive, and the weighted AP.
public enum CharadesEvaluation {
    public struct Result: Sendable {
        public let summary: AveragePrecision.Summary
        /// Annotated videos left out because they have no action.
        public let videosWithoutActions: Int
        public let videosEvaluated: Int
        /// Submitted videos that are not in the annotations (ignored).
        public let extraVideos: Int
    }

    public static func evaluate(annotations: [CharadesVideo], submission: CharadesSubmission.Scores, path: String)
        throws(CharadesError) -> Result
    {
        let index = Dictionary(uniqueKeysWithValues: submission.ids.enumerated().map { ($1, $0) })
        let evaluated = annotations.filter { !$0.actions.isEmpty }
        guard !evaluated.isEmpty else {
            throw CharadesError(
                path: path,
                problem:
                    "the annotations hold no video with an action: there is nothing to score (\(annotations.count) videos without actions)"
            )
        }
        let missing = evaluated.filter { index[$0.id] == nil }.map(\.id)
        guard missing.isEmpty else {
            throw CharadesError(
                path: path,
                problem:
                    "has no scores for \(missing.count) annotated videos, e.g. \(missing.prefix(5).joined(separator: ", ")) (--subset scores the videos it covers)"
            )
        }
        let classes = CharadesAnnotations.classCount
        let scores = evaluated.map { submission.scores[index[$0.id]!] }
        let labels = evaluated.map { video -> [Bool] in
            var row = [Bool](repeating: false, count: classes)
            for c in video.classes { row[c] = true }
            return row
        }
        let known = Set(annotations.map(\.id))
        return Result(
            summary: AveragePrecision.summary(scores: scores, labels: labels),
            videosWithoutActions: annotations.count - evaluated.count, videosEvaluated: evaluated.count,
            extraVideos: submission.ids.filter { !known.contains($0) }.count)
    }
}
