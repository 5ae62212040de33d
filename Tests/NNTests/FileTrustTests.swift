import Autograd
import Foundation
import NN
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Checksums and temporary files")
struct FileTrustTests {
    @Test("CRC-32C: the standard check values, and slicing-by-8 equals the byte-at-a-time composition")
    func crc32c() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)  // RFC 3720's check value
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)  // RFC 3720, B.4
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        var generator = SeededGenerator(seed: 3)
        for length in [0, 1, 7, 8, 9, 63, 64, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let (fast, plain) = bytes.withUnsafeBytes { (CRC32C.checksum($0), CRC32C.checksumBytewise($0)) }
            #expect(fast == plain, "\(length) bytes")
        }
    }

    @Test("every tensor and the metadata are verified against the stored checksums; files without them load")
    func checksums() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-crc-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = [
            ("a", Tensor(shape: [4, 5]) { for i in 0..<$0.count { $0[i] = Float(i) * 0.37 - 2 } }),
            ("b", Tensor(shape: [3]) { for i in 0..<$0.count { $0[i] = Float(i) + 0.5 } }),
        ]
        try SafeTensors.write(tensors, metadata: ["config": "{}"], to: url)
        let file = try SafeTensorsFile.read(contentsOf: url)
        #expect(file.hasChecksums && file.metadata == ["config": "{}"], "the checksums are not part of the metadata")
        let pristine = try Data(contentsOf: url)
        let header = pristine.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        // Every single-bit flip of the tensor data is caught, and names its tensor.
        for offset in stride(from: 0, to: 23 * 4, by: 3) {
            var bytes = pristine
            bytes[8 + header + offset] ^= UInt8(1 << (offset % 8))
            #expect(throws: SafeTensorsError.self) { _ = try SafeTensorsFile(bytes: bytes, path: "x") }
            do {
                _ = try SafeTensorsFile(bytes: bytes, path: "x")
            } catch {
                guard case .checksum(let name, _, _) = error.problem else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(name == (offset < 20 * 4 ? "a" : "b"))
            }
        }
        // A changed metadata value (same length) is caught too.
        #expect(throws: SafeTensorsError.self) {
            _ = try SafeTensorsFile(
                bytes: Self.replacing(#""config":"{}""#, by: #""config":"[]""#, in: pristine), path: "x")
        }
        // Without the checksum entry (PyTorch's files): read, flagged.
        let plain = SafeTensors.encode(tensors, metadata: ["config": "{}"])
        let unchecked = try SafeTensorsFile(
            bytes: Self.replacing(#""crc32c":"#, by: #""crc32x":"#, in: plain), path: "x")
        #expect(!unchecked.hasChecksums && unchecked.metadata["crc32x"] != nil)
    }

    /// `bytes` with the first `old` replaced by `new` (of the same length, so that offsets hold).
    static func replacing(_ old: String, by new: String, in bytes: Data) -> Data {
        var out = bytes
        if let range = out.range(of: Data(old.utf8)) { out.replaceSubrange(range, with: Data(new.utf8)) }
        #expect(out != bytes, "\(old) is in the file")
        return out
    }

    @Test("a writer removes the temporary files of dead writers in its folder, and keeps the living ones'")
    func stalePartials() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-partials-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let deadPID = dead.processIdentifier
        let stale = [".glidn-partial-\(deadPID)-0badf00d", ".best.safetensors.partial-\(deadPID)-12345"]
        let living = [".glidn-partial-1-00000000", ".glidn-partial-\(getpid())-00000001", "keep.partial-\(deadPID)-1"]
        for name in stale + living { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        try AtomicFile.write("new", to: folder.appendingPathComponent("out.txt"))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set(living + ["out.txt"]), "\(left)")
    }

    @Test(
        "a 255-byte name is written (the temporary name does not grow with it); 256 bytes, a trailing / and an empty name are refused"
    )
    func names() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glidn-names-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let longest = folder.appendingPathComponent(String(repeating: "é", count: 127) + "x")  // 255 bytes
        try AtomicFile.write("ok", to: longest)
        #expect(try String(contentsOf: longest, encoding: .utf8) == "ok")
        for (url, fragment) in [
            (folder.appendingPathComponent(String(repeating: "n", count: 256)), "256 bytes long"),
            (URL(fileURLWithPath: folder.path + "/sub/"), "ends with '/'"),
        ] {
            #expect {
                try AtomicFile.write("x", to: url)
            } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }
}
