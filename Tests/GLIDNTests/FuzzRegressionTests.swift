import Foundation
import FuzzTargets
import Testing

/// Every input the fuzzers (or the hostile-input table) found troublesome, replayed through
/// the reader's fuzz target: each must return, quickly.
@Suite("Fuzzing regressions")
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../Fuzz/regressions"
    ).standardized

    static var cases: [(target: String, file: String)] {
        FuzzTargets.names.flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(target).path)) ?? [])
                .sorted().map { (target, $0) }
        }
    }

    @Test("every saved input returns from its target within a second")
    func replay() throws {
        #expect(Self.cases.count >= 10, "the regression corpus is missing")
        for (target, file) in Self.cases {
            let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(target)/\(file)"))
            let start = Date()
            FuzzTargets.run(target, data)
            #expect(Date().timeIntervalSince(start) < 1, "\(target)/\(file) took \(Date().timeIntervalSince(start)) s")
        }
    }
}
