import Autograd
import Foundation
import NN
import Testing

@Suite("safetensors")
struct SafeTensorsTests {
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("glidn-tests-\(getpid())-\(name)")
    }

    /// Builds a file by hand: header JSON + raw bytes.
    static func file(header: String, payload: [UInt8]) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(Data(header.utf8))
        d.append(contentsOf: payload)
        return d
    }

    @Test("round trip: write atomically, read back values, shapes and metadata")
    func roundTrip() throws {
        let url = Self.temporaryURL("round.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let a = Tensor.seeded([2, 3], seedValue: 1)
        let b = Tensor(7)
        try SafeTensors.write([("a.weight", a), ("b", b)], metadata: ["config": "{\"x\": 1}"], to: url)
        let file = try SafeTensorsFile.read(contentsOf: url)
        #expect(file.metadata == ["config": "{\"x\": 1}"])
        let readA = try file.tensor("a.weight")
        let readB = try file.tensor("b")
        #expect(readA.values == a.values && readA.shape == [2, 3])
        #expect(readB.shape == [] && readB.scalar == 7)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".glidn-partial-\(getpid())") }
        #expect(leftovers.isEmpty, "no temporary file is left behind")
        // The header is padded to 8 bytes, as the format asks.
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
    }

    @Test("files written by another tool: the reference fixtures")
    func foreignFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../GLIDNTests/Fixtures/reference/glidn_video.safetensors").standardized
        let file = try SafeTensorsFile.read(contentsOf: url)
        #expect(file.metadata["config"]?.contains("\"task\": \"video\"") == true)
        #expect(try file.tensor("input.features").shape == [3, 4, 5, 6])
        #expect(try file.integers("input.categories").count == 15)
        #expect(throws: SafeTensorsError.self) { try file.integers("input.features") }
    }

    @Test("F16, BF16, F64 and integer dtypes decode")
    func dtypes() throws {
        let header = """
            {"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]},\
            "d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"i":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},\
            "u":{"dtype":"U8","shape":[2],"data_offsets":[24,26]}}
            """
        var payload: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00]  // 1.0, -2.0, smallest subnormal
        payload += [0x80, 0x3F]  // bf16 1.0
        payload += Array(withUnsafeBytes(of: (0.25 as Double).bitPattern.littleEndian) { Array($0) })
        payload += Array(withUnsafeBytes(of: Int64(-5).littleEndian) { Array($0) })
        payload += [7, 255]
        let file = try SafeTensorsFile(bytes: Self.file(header: header, payload: payload), path: "dtypes")
        #expect(try file.tensor("h").values == [1, -2, Float(5.9604645e-08)])
        #expect(try file.tensor("b").values == [1])
        #expect(try file.tensor("d").values == [0.25])
        #expect(try file.integers("i") == [-5])
        #expect(try file.integers("u") == [7, 255])
    }

    @Test("half-precision conversion is exact both ways on representable values")
    func halfConversion() {
        for v: Float in [0, 1, -2, 0.5, 65504, -0.000061035156, 5.9604645e-08, .infinity] {
            #expect(HalfPrecision.float(fromHalf: HalfPrecision.half(from: v)) == v)
        }
        #expect(HalfPrecision.float(fromHalf: HalfPrecision.half(from: .nan)).isNaN)
        #expect(HalfPrecision.half(from: 1e6) == 0x7C00, "overflow becomes infinity")
    }

    static let broken: [(String, Data, String)] = [
        ("empty", Data(), "too short"),
        ("truncated length", Data([1, 2, 3]), "too short"),
        (
            "header longer than file", SafeTensorsTests.file(header: "{}", payload: []).prefix(9),
            "declares a 2-byte header but only 1"
        ),
        (
            "absurd header length",
            Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) + Data(repeating: 0x20, count: 16), "declares"
        ),
        ("not JSON", SafeTensorsTests.file(header: "{nope", payload: []), "not a JSON object"),
        ("JSON list", SafeTensorsTests.file(header: "[1, 2]", payload: []), "not a JSON object"),
        (
            "data cut short",
            SafeTensorsTests.file(
                header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, payload: [0, 0, 0, 0]),
            "lie outside"
        ),
        (
            "size does not match shape",
            SafeTensorsTests.file(
                header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                payload: Array(repeating: 0, count: 8)), "needs 12"
        ),
        (
            "unknown dtype",
            SafeTensorsTests.file(header: #"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#, payload: [0]),
            "not supported"
        ),
        (
            "negative size",
            SafeTensorsTests.file(header: #"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}"#, payload: [0]),
            "no valid shape"
        ),
        (
            "overlap",
            SafeTensorsTests.file(
                header:
                    #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}"#,
                payload: [0, 0, 0]), "overlap"
        ),
        (
            "metadata not strings", SafeTensorsTests.file(header: #"{"__metadata__":{"a":1}}"#, payload: []),
            "strings to strings"
        ),
    ]

    @Test("broken files are refused with the file and the problem named", arguments: 0..<12)
    func brokenFiles(index: Int) {
        let (name, bytes, fragment) = Self.broken[index]
        #expect {
            _ = try SafeTensorsFile(bytes: bytes, path: "/data/\(name).safetensors")
        } throws: { error in
            let text = "\(error)"
            return text.contains("/data/\(name).safetensors") && text.contains(fragment)
        }
    }

    @Test("a missing file names the path")
    func missing() {
        #expect {
            _ = try SafeTensorsFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
        } throws: { "\($0)".contains("/nonexistent/model.safetensors cannot be read") }
    }
}

extension Tensor {
    fileprivate static func seeded(_ shape: [Int], seedValue: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seedValue)
        return .randomNormal(shape, generator: &g)
    }
}
