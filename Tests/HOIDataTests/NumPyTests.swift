import Foundation
import HOIData
import Testing

@Suite("NumPy .npy and .npz")
struct NumPyTests {
    static func check(_ read: (String) throws -> NumPyArray) throws {
        let f4 = try read("f4")
        #expect(f4.shape == [2, 3] && f4.floats == [0, 0.25, 0.5, 0.75, 1, 1.25] && f4.integers == nil)
        #expect(try read("f2").floats == [1, -2, 0.5])
        #expect(try read("f8").floats == [0.25, -0.001])
        #expect(try read("i4").integers == [-1, 2, 3])
        #expect(try read("i8").integers == [-(1 << 40), 7])
        #expect(try read("u1").integers == [0, 255])
        #expect(try read("b1").integers == [1, 0, 1])
        let fortran = try read("fortran")
        #expect(fortran.shape == [2, 3] && fortran.floats == [0, 1, 2, 3, 4, 5], "Fortran order becomes C order")
        let scalar = try read("scalar")
        #expect(scalar.shape == [] && scalar.floats == [3.5])
        #expect(try read("bigendian").floats == [1.5, -2.25])
    }

    @Test(
        "every dtype, Fortran order, a 0-d array and big-endian data, in stored and deflated archives",
        arguments: ["arrays.npz", "arrays_deflated.npz"])
    func archives(name: String) throws {
        let npz = try NPZReader(contentsOf: Fixtures.url(name))
        #expect(Set(npz.names) == ["f4", "f2", "f8", "i4", "i8", "u1", "b1", "fortran", "scalar", "bigendian"])
        try Self.check { try npz.array($0) }
        #expect { _ = try npz.array("nope") } throws: { "\($0)".contains("has no array 'nope'") }
    }

    @Test(".npz with zip64 records: the 64-bit end record and sizes and offsets in zip64 extra fields")
    func zip64() throws {
        let npz = try NPZReader(contentsOf: Fixtures.url("zip64.npz"))
        #expect(npz.names == ["a", "b"])
        #expect(try npz.array("a").floats == [0, 1, 2, 3, 4, 5])
        #expect(try npz.array("b").integers == [7, -8])
    }

    @Test(".npy format versions 1, 2 and 3")
    func versions() throws {
        #expect(try NPYReader.read(contentsOf: Fixtures.url("v1.npy")).floats == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(try NPYReader.read(contentsOf: Fixtures.url("v2.npy")).integers == [-(1 << 40), 7])
        #expect(try NPYReader.read(contentsOf: Fixtures.url("v3.npy")).integers == [1, 0, 1])
    }

    @Test("broken .npy files are refused with the file and the problem")
    func broken() throws {
        let good = try Data(contentsOf: Fixtures.url("v1.npy"))
        func replacing(_ a: String, _ b: String) -> Data {
            var copy = good
            copy.replaceSubrange(good.range(of: Data(a.utf8))!, with: Data(b.utf8))
            return copy
        }
        let cases: [(Data, String)] = [
            (Data(), "not a .npy file"),
            (Data("hello world, no magic".utf8), "not a .npy file"),
            (good.prefix(30), "truncated"),
            (good.prefix(good.count - 4), "truncated"),
            (Data(good.prefix(6)) + Data([9, 0]) + good.dropFirst(8), "format version 9"),
            (replacing("<f4", "<c8"), "not supported"),
            (replacing("'shape'", "'shope'"), "no 'shape'"),
            (replacing("(2, 3)", "(9, 9)"), "truncated"),
        ]
        for (bytes, fragment) in cases {
            #expect { _ = try NPYReader.parse(bytes, path: "/x/bad.npy") } throws: {
                "\($0)".contains("/x/bad.npy") && "\($0)".contains(fragment)
            }
        }
        let corrupt = Fixtures.temporaryFolder("npz").appendingPathComponent("corrupt.npz")
        try Data("PK\u{3}\u{4} not really a zip".utf8).write(to: corrupt)
        #expect { _ = try NPZReader(contentsOf: corrupt).array("x") } throws: { "\($0)".contains(corrupt.path) }
        #expect { _ = try NPZReader(contentsOf: URL(fileURLWithPath: "/nonexistent.npz")) } throws: {
            "\($0)".contains("does not exist")
        }
    }
}
