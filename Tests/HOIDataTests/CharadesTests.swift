import Foundation
import HOIData
import Testing

@Suite("Charades")
struct CharadesTests {
    static let train = Fixtures.shared.appendingPathComponent("data/charades/Charades_v1_train.csv")
    static let test = Fixtures.shared.appendingPathComponent("data/charades/Charades_v1_test_200.csv")

    @Test("the official training CSV: 7,985 videos, 49,809 action instances, 174 without actions")
    func trainingFile() throws {
        let videos = try CharadesAnnotations.read(contentsOf: Self.train)
        #expect(videos.count == 7985)
        #expect(videos.reduce(0) { $0 + $1.actions.count } == 49_809)
        #expect(videos.filter { $0.actions.isEmpty }.count == 174)
        #expect(Set(videos.flatMap(\.classes)).count == 157)
        let test = try CharadesAnnotations.read(contentsOf: Self.test)
        #expect(test.count == 199 && test.reduce(0) { $0 + $1.actions.count } == 1834)
        #expect(test.filter { $0.actions.isEmpty }.count == 8 && Set(test.flatMap(\.classes)).count == 152)
    }

    @Test("quoted fields with commas, doubled quotes and newlines; empty action lists")
    func quoting() throws {
        let videos = try CharadesAnnotations.read(contentsOf: Fixtures.url("charades_small.csv"))
        #expect(videos.map(\.id) == ["AAAA1", "BBBB2", "CCCC3"])
        #expect(
            videos[0].actions == [
                .init(classIndex: 106, start: 0, end: 5.1), .init(classIndex: 107, start: 4.2, end: 9),
            ])
        #expect(videos[1].actions.isEmpty && videos[2].classes == [97] && videos[0].scene == "Kitchen")
        let rows = try CSVReader.rows("a,\"b \"\"c\"\", d\"\n\"x\ny\",z\n")
        #expect(rows == [["a", "b \"c\", d"], ["x\ny", "z"]])
        #expect { _ = try CSVReader.rows("a,\"never closed\n") } throws: { "\($0)".contains("never closed") }
        #expect {
            _ = try CharadesAnnotations.parse("id,scene,actions,length\nv,s,c999 1 2,3\n", path: "x.csv")
        } throws: {
            "\($0)".contains("'c999 1 2' is not a 'cNNN start end' action")
        }
        #expect { _ = try CharadesAnnotations.parse("id,scene,length\n", path: "x.csv") } throws: {
            "\($0)".contains("no 'actions' column")
        }
    }

    @Test("feature files stream per video; a missing one is named, or skipped and counted")
    func features() throws {
        let videos = try CharadesAnnotations.read(contentsOf: Fixtures.url("charades_small.csv"))
        let root = Fixtures.url("charades_features")
        #expect { _ = try VideoFeatureSource(root: root, videos: videos, skipMissing: false) } throws: {
            "\($0)".contains("1 of 3 videos have no feature file, e.g. BBBB2.npz")
        }
        let source = try VideoFeatureSource(root: root, videos: videos, skipMissing: true)
        #expect(source.count == 2 && source.skipped == ["BBBB2"] && source.featureSize == 6)
        let clip = try source.clip(at: 0)
        #expect(clip.id == "AAAA1" && clip.frames == 4 && clip.entities == 3 && clip.categories == [0, 10, 31])
        #expect(clip.labels == .video(classes: [106, 107]) && clip.isHuman == [true, false, false])
        // A malformed file names the video.
        let folder = Fixtures.temporaryFolder("charades-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("AAAA1.npz"), to: folder.appendingPathComponent("AAAA1.npz"))
        try Data("not a zip".utf8).write(to: folder.appendingPathComponent("CCCC3.npz"))
        let bad = try VideoFeatureSource(root: folder, videos: [videos[0], videos[2]], skipMissing: false)
        #expect { _ = try bad.clip(at: 1) } throws: { "\($0)".contains("CCCC3.npz") }
    }

    @Test("Action Genome's box pickles become geometry-only clips")
    func actionGenome() throws {
        let videos = try CharadesAnnotations.read(contentsOf: Fixtures.url("charades_small.csv"))
        let (clips, skipped) = try ActionGenomeReader.clips(
            personFile: Fixtures.url("person_bbox.pkl"),
            objectFile: Fixtures.url("object_bbox_and_relationship.pkl"), videos: videos)
        #expect(clips.map(\.id) == ["AAAA1", "BBBB2"] && skipped == ["CCCC3"])
        let a = clips[0]
        #expect(a.frames == 3 && a.entities == 2 && a.featureSize == ActionGenomeReader.featureSize)
        #expect(
            a.categories == [0, ActionGenomeReader.objectClasses.firstIndex(of: "cup/glass/bottle")! + 1],
            "the invisible table is left out")
        // Person xyxy (10, 20, 110, 220) in a 480 × 270 frame; cup xywh (100, 50, 20, 30).
        #expect(abs(a.boxes[0] - 10.0 / 480) < 1e-6 && abs(a.boxes[3] - 220.0 / 270) < 1e-6)
        #expect(abs(a.boxes[4] - 100.0 / 480) < 1e-6 && abs(a.boxes[6] - 120.0 / 480) < 1e-6)
        #expect(a.labels == .video(classes: [106, 107]))
    }

    @Test("broken Action Genome files are refused naming the file and the problem")
    func actionGenomeBroken() throws {
        let videos = try CharadesAnnotations.read(contentsOf: Fixtures.url("charades_small.csv"))
        // A pickle that is not a dict of frames (the plain-data fixture is a dict with other keys).
        #expect {
            _ = try ActionGenomeReader.clips(
                personFile: Fixtures.url("cycle.pkl"), objectFile: Fixtures.url("object_bbox_and_relationship.pkl"),
                videos: videos)
        } throws: {
            "\($0)".contains("cycle.pkl")
        }
        #expect {
            _ = try ActionGenomeReader.clips(
                personFile: Fixtures.url("data_p4.pkl"), objectFile: Fixtures.url("object_bbox_and_relationship.pkl"),
                videos: videos)
        } throws: {
            "\($0)".contains("data_p4.pkl") && "\($0)".contains("is not '<id>.mp4/<frame>.png'")
        }
        let folder = Fixtures.temporaryFolder("ag-cut")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("person_bbox.pkl")
        try Data(contentsOf: Fixtures.url("person_bbox.pkl")).prefix(200).write(to: cut)
        #expect {
            _ = try ActionGenomeReader.clips(
                personFile: cut, objectFile: Fixtures.url("object_bbox_and_relationship.pkl"), videos: videos)
        } throws: {
            "\($0)".contains(cut.path) && "\($0)".contains("truncated")
        }
    }
}
