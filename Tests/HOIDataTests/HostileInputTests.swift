import Foundation
import HOIData
import TestSupport
import Testing

/// The hostile inputs of the readers: each is refused with an error naming the file and the
/// problem, within bounded time and memory, and nothing traps.
@Suite("Hostile input to the readers")
struct HostileReaderTests {
    @Test("a FIFO, a folder or a missing path given as an input file is refused by name, without blocking")
    func specialFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-special-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.pkl")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let missing = folder.appendingPathComponent("absent.npy")
        // Reading a FIFO with no writer would block forever; every reader must refuse it first.
        let readers: [(String, (URL) throws -> Void)] = [
            ("pickle", { _ = try SafePickleReader.read(contentsOf: $0) }),
            ("npy", { _ = try NPYReader.read(contentsOf: $0) }),
            ("npz", { _ = try NPZReader(contentsOf: $0) }),
            ("charades csv", { _ = try CharadesAnnotations.read(contentsOf: $0) }),
            ("submission", { _ = try CharadesSubmission.read(contentsOf: $0) }),
        ]
        for (name, read) in readers {
            for (url, problem) in [
                (fifo, "is a FIFO, not a file"), (folder, "is a folder, not a file"), (missing, "does not exist"),
            ] {
                #expect(throws: (any Error).self, "\(name)") { try read(url) }
                do { try read(url) } catch {
                    #expect("\(error)".contains(url.path) && "\(error)".contains(problem), "\(name): \(error)")
                }
            }
        }
    }

    @Test(".npz: a member that fails its CRC-32, and one that inflates beyond its header, are refused")
    func archives() throws {
        let crc = try NPZReader(contentsOf: Fixtures.url("crc_bad.npz"))
        #expect { _ = try crc.array("a") } throws: { "\($0)".contains("crc_bad.npz") && "\($0)".contains("CRC-32") }
        let bomb = try NPZReader(contentsOf: Fixtures.url("bomb.npz"))
        #expect { _ = try bomb.array("a") } throws: {
            "\($0)".contains("bomb.npz") && "\($0)".contains("inflates beyond")
        }
        // The sound archives still read.
        #expect(try NPZReader(contentsOf: Fixtures.url("arrays_deflated.npz")).array("f4").shape == [2, 3])
    }

    @Test(
        ".npz members that lie about their extent are refused at once: a stored member of 2^62 bytes, a cut deflate stream, a name twice"
    )
    func lyingArchives() throws {
        // The first two hung the zip library used before (the fuzzer found the first).
        #expect { _ = try NPZReader(contentsOf: Fixtures.url("npz_stored_huge.npz")) } throws: {
            "\($0)".contains("npz_stored_huge.npz") && "\($0)".contains("declares 4611686018427387904 bytes")
                && "\($0)".contains("beyond the archive")
        }
        let cut = try NPZReader(contentsOf: Fixtures.url("npz_deflate_cut.npz"))
        #expect { _ = try cut.array("a") } throws: {
            "\($0)".contains("npz_deflate_cut.npz") && "\($0)".contains("truncated: its deflate stream does not end")
        }
        #expect { _ = try NPZReader(contentsOf: Fixtures.url("npz_duplicate.npz")) } throws: {
            "\($0)".contains("npz_duplicate.npz") && "\($0)".contains("holds member 'a.npy' twice")
        }
        // Garbage where the deflate data should be, and a member beyond the end, named as such.
        var bytes = [UInt8](try Data(contentsOf: Fixtures.url("arrays_deflated.npz")))
        let start = 30 + Int(bytes[26]) + Int(bytes[28])
        for i in start..<(start + 16) { bytes[i] = 0xFF }
        #expect { _ = try NPZReader(data: Data(bytes), path: "/x/garbled.npz").array("f4") } throws: {
            "\($0)".contains("/x/garbled.npz") && "\($0)".contains("corrupt deflate data")
        }
        #expect { _ = try NPZReader(data: Data(bytes.prefix(bytes.count - 22)), path: "/x/cut.npz") } throws: {
            "\($0)".contains("/x/cut.npz") && "\($0)".contains("no end-of-central-directory record")
        }
    }

    @Test("a .npy header declaring more values than memory holds is refused before anything is allocated")
    func absurdShape() {
        var bytes = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let header =
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }".padding(
                toLength: 118, withPad: " ", startingAt: 0) + "\n"
        bytes.append(contentsOf: [UInt8(header.utf8.count), 0])
        bytes.append(Data(header.utf8))
        #expect { _ = try NPYReader.parse(bytes, path: "huge.npy") } throws: {
            "\($0)".contains("huge.npy") && "\($0)".contains("memory limit")
        }
    }

    @Test("CAD-120 release: absurd frame numbers, overflowing segments and segments outside the video are errors")
    func cad120Release() throws {
        let cases: [(labeling: String?, firstFrame: String?, expected: String)] = [
            (nil, "1e30", "frame number"),
            (
                "\(CAD120ReleaseWriter.video),-9200000000000000000,9200000000000000000,reaching,reachable,stationary\n",
                nil, "lie outside"
            ),
            ("\(CAD120ReleaseWriter.video),40,80,reaching,reachable,stationary\n", nil, "outside video"),
        ]
        for (k, c) in cases.enumerated() {
            let root = Fixtures.temporaryFolder("raw-\(k)")
            defer { try? FileManager.default.removeItem(at: root) }
            try CAD120ReleaseWriter.write(to: root, labeling: c.labeling, firstFrame: c.firstFrame)
            #expect { _ = try CAD120AnnotationReader.read(root: root) } throws: {
                "\($0)".contains(c.expected) && "\($0)".contains(root.path)
            }
        }
    }

    @Test(
        "Charades CSV: duplicate ids, negative or NaN times, ids that are paths are errors naming the file and record")
    func charadesCSV() {
        let header = "id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length\n"
        func row(_ id: String, _ actions: String) -> String { "\(id),s,Kitchen,5,6,Yes,x,y,z,\(actions),10.0\n" }
        let cases: [(String, String)] = [
            (row("AAA1", "c001 1.0 2.0") + row("AAA1", "c002 1.0 2.0"), "appears again"),
            (row("AAA1", "c001 -1.0 2.0"), "impossible times"),
            (row("AAA1", "c001 nan 2.0"), "impossible times"),
            (row("../etc", "c001 1.0 2.0"), "'..'"),
            (row("a/b", "c001 1.0 2.0"), "'/'"),
        ]
        for (body, fragment) in cases {
            #expect { _ = try CharadesAnnotations.parse(header + body, path: "/x/bad.csv") } throws: {
                "\($0)".contains("/x/bad.csv") && "\($0)".contains("record ") && "\($0)".contains(fragment)
            }
        }
        // An action that ends before it starts (the official training file has seven) is kept.
        #expect(
            (try? CharadesAnnotations.parse(header + row("AAA1", "c001 5.0 2.0"), path: "x"))?.first?.actions.count == 1
        )
    }

    @Test(
        "LIGHTEN pickles whose object one-hots have the wrong width or no 1 are refused, naming the key",
        arguments: ["width", "zero"])
    func lightenOneHot(kind: String) {
        let url = Fixtures.url("lighten_bad_onehot_\(kind).p")
        #expect { _ = try LightenPickleReader.read(contentsOf: url) } throws: {
            "\($0)".contains(url.path) && "\($0)".contains("object_one_hot_vectors")
        }
    }
}
