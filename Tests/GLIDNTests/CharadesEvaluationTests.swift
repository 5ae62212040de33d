import Foundation
import GLIDN
import HOIData
import Testing

@Suite("Charades' official evaluation")
struct CharadesEvaluationTests {
    static func video(_ id: String, _ classes: [Int]) -> CharadesVideo {
        CharadesVideo(id: id, scene: "", length: 1, actions: classes.map { .init(classIndex: $0, start: 0, end: 1) })
    }

    @Test("videos without actions are left out, classes without positives too, and both are counted")
    func evaluate() throws {
        let annotations = [Self.video("a", [0]), Self.video("b", [1]), Self.video("c", []), Self.video("d", [0, 1])]
        var scores = [[Float]](repeating: [Float](repeating: 0, count: 157), count: 5)
        scores[0][0] = 0.9
        scores[1][0] = 0.8
        scores[3][0] = 0.1  // class 0: ranks a, b, d → positives at 1 and 3
        scores[0][1] = 0.2
        scores[1][1] = 0.7
        scores[3][1] = 0.6  // class 1: ranks b, d, a → positives at 1 and 2
        scores[2][0] = 1
        scores[2][1] = 1  // video c has no action: ignored even with high scores
        let submission = CharadesSubmission.Scores(ids: ["a", "b", "c", "d", "extra"], scores: scores)
        let result = try CharadesEvaluation.evaluate(annotations: annotations, submission: submission, path: "sub.txt")
        let ap0 = (1 + 2.0 / 3) / 2
        #expect(abs(result.summary.perClass[0]! - ap0) < 1e-12 && result.summary.perClass[1] == 1)
        #expect(abs(result.summary.mAP - (ap0 + 1) / 2) < 1e-12)
        #expect(
            result.summary.classesWithoutPositives == 155 && result.videosWithoutActions == 1 && result.extraVideos == 1
        )
        let weighted: Double = (2 * ap0 + 2) / 4
        #expect(abs(result.summary.weightedAP - weighted) < 1e-12)
        let partial = CharadesSubmission.Scores(ids: ["a"], scores: [scores[0]])
        #expect {
            _ = try CharadesEvaluation.evaluate(annotations: annotations, submission: partial, path: "sub.txt")
        } throws: {
            "\($0)".contains("no scores for 2 annotated videos, e.g. b, d")
        }
    }

    @Test("submission files: 157 scores per line, ids once, numbers only")
    func submissionFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-submission-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.txt")
        let row = (0..<157).map { String(Float($0) / 157) }.joined(separator: " ")
        try "v1 \(row)\nv2 \(row)\n".write(to: good, atomically: true, encoding: .utf8)
        let read = try CharadesSubmission.read(contentsOf: good)
        #expect(read.ids == ["v1", "v2"] && read.scores[1][156] == Float(156) / 157)
        let short = folder.appendingPathComponent("short.txt")
        try "v1 0.5 0.5\n".write(to: short, atomically: true, encoding: .utf8)
        #expect { _ = try CharadesSubmission.read(contentsOf: short) } throws: {
            "\($0)".contains("line 1 has 2 scores, not 157")
        }
        let twice = folder.appendingPathComponent("twice.txt")
        try "v1 \(row)\nv1 \(row)\n".write(to: twice, atomically: true, encoding: .utf8)
        #expect { _ = try CharadesSubmission.read(contentsOf: twice) } throws: { "\($0)".contains("v1 appears twice") }
        let nan = folder.appendingPathComponent("nan.txt")
        try "v1 nan \(row.split(separator: " ").dropFirst().joined(separator: " "))\n".write(
            to: nan, atomically: true, encoding: .utf8)
        #expect { _ = try CharadesSubmission.read(contentsOf: nan) } throws: { "\($0)".contains("not a finite number") }
    }
}
