import Autograd
import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
/// header mapping each name to its dtype, shape and byte range, an optional
/// `__metadata__` map of strings, then the raw little-endian data.
///
/// Reading accepts F32, F16, BF16, F64 as floats and I8, U8, I16, I32, I64, BOOL as
/// integers, and checks every entry (dtype, shape, range inside the file, size matching
/// the shape) before any value is used. Writing produces F32 (and I32/I64 for integer
/// arrays), atomically.
public struct SafeTensorsFile {
    public struct Entry: Equatable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
        let range: Range<Int>
    }

    public let path: String
    /// The file's metadata, without the checksums (`SafeTensors.checksumKey`).
    public let metadata: [String: String]
    /// Whether the file carried checksums (every file GLIDN writes does; PyTorch's do not).
    /// When it did, every tensor's bytes and the metadata were verified against them.
    public let hasChecksums: Bool
    /// Entries in the order of their data.
    public let entries: [Entry]
    private let byName: [String: Entry]
    private let payload: Data

    static let maximumHeaderBytes: UInt64 = 100 << 20

    static let elementSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
    ]

    public static func read(contentsOf url: URL) throws(SafeTensorsError) -> SafeTensorsFile {
        let data: Data
        do {
            data = try InputFile.contents(of: url)
        } catch {
            throw SafeTensorsError(path: url.path, .unreadable(error.problem))
        }
        return try SafeTensorsFile(bytes: data, path: url.path)
    }

    public init(bytes: Data, path: String) throws(SafeTensorsError) {
        self.path = path
        let bytes = Data(bytes)  // re-based at index 0
        guard bytes.count >= 8 else { throw SafeTensorsError(path: path, .tooShort(bytes: bytes.count)) }
        let declared = bytes.prefix(8).enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard declared <= UInt64(bytes.count - 8), declared <= Self.maximumHeaderBytes else {
            throw SafeTensorsError(path: path, .headerLength(declared: declared, available: bytes.count - 8))
        }
        let headerEnd = 8 + Int(declared)
        let object: [String: Any]
        do {
            let parsed = try JSONSerialization.jsonObject(with: bytes[8..<headerEnd])
            guard let dict = parsed as? [String: Any] else {
                throw SafeTensorsError(path: path, .headerNotJSON("the top level is not an object"))
            }
            object = dict
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw SafeTensorsError(path: path, .headerNotJSON("invalid JSON"))
        }
        payload = bytes[headerEnd...]
        let dataSize = bytes.count - headerEnd

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any], let strings = map as? [String: String] else {
                    throw SafeTensorsError(path: path, .entry(name: name, "must map strings to strings"))
                }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name, value, dataSize: dataSize, path: path))
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (a, b) in zip(entries, entries.dropFirst()) where b.range.lowerBound < a.range.upperBound {
            throw SafeTensorsError(path: path, .entry(name: b.name, "its bytes overlap those of '\(a.name)'"))
        }
        hasChecksums = metadata[SafeTensors.checksumKey] != nil
        if let text = metadata.removeValue(forKey: SafeTensors.checksumKey) {
            try Self.verify(text, entries: entries, metadata: metadata, payload: payload, path: path)
        }
        self.metadata = metadata
        self.entries = entries
        byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
    }

    /// Checks every tensor's bytes, and the metadata, against the CRC-32C values stored in `text`.
    private static func verify(
        _ text: String, entries: [Entry], metadata: [String: String], payload: Data, path: String
    ) throws(SafeTensorsError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let stored = object as? [String: String]
        else {
            throw SafeTensorsError(
                path: path, .entry(name: SafeTensors.checksumKey, "is not a JSON object of checksums"))
        }
        func check(_ name: String, _ computed: UInt32) throws(SafeTensorsError) {
            guard let expected = stored[name] else {
                throw SafeTensorsError(path: path, .checksum(name: name, stored: nil, computed: CRC32C.hex(computed)))
            }
            guard expected == CRC32C.hex(computed) else {
                throw SafeTensorsError(
                    path: path, .checksum(name: name, stored: expected, computed: CRC32C.hex(computed)))
            }
        }
        for e in entries {
            let start = payload.startIndex + e.range.lowerBound
            try check(e.name, payload[start..<(start + e.range.count)].withUnsafeBytes { CRC32C.checksum($0) })
        }
        try check(SafeTensors.metadataChecksumName, SafeTensors.metadataChecksum(metadata))
    }

    private static func entry(_ name: String, _ value: Any, dataSize: Int, path: String) throws(SafeTensorsError)
        -> Entry
    {
        guard let info = value as? [String: Any] else {
            throw SafeTensorsError(path: path, .entry(name: name, "is not an object"))
        }
        guard let dtype = info["dtype"] as? String else {
            throw SafeTensorsError(path: path, .entry(name: name, "has no dtype"))
        }
        guard let size = elementSizes[dtype] else {
            throw SafeTensorsError(path: path, .unsupportedDType(name: name, dtype: dtype))
        }
        guard let rawShape = info["shape"] as? [Any], let shape = wholeNumbers(rawShape), shape.allSatisfy({ $0 >= 0 })
        else {
            throw SafeTensorsError(path: path, .entry(name: name, "has no valid shape (a list of sizes)"))
        }
        guard let rawOffsets = info["data_offsets"] as? [Any], let offsets = wholeNumbers(rawOffsets),
            offsets.count == 2
        else {
            throw SafeTensorsError(path: path, .entry(name: name, "has no valid data_offsets [begin, end]"))
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw SafeTensorsError(
                path: path,
                .entry(name: name, "bytes \(begin)..<\(end) lie outside the \(dataSize) data bytes (truncated file?)"))
        }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw SafeTensorsError(path: path, .entry(name: name, "shape \(shape) is absurdly large"))
            }
            count = product
        }
        guard count.multipliedReportingOverflow(by: size).partialValue == end - begin else {
            throw SafeTensorsError(
                path: path,
                .entry(name: name, "holds \(end - begin) bytes, but \(dtype) \(shape) needs \(count * size)"))
        }
        return Entry(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    /// JSON numbers as exact non-fractional integers, or nil.
    private static func wholeNumbers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let n = v as? NSNumber else { return nil }
            let d = n.doubleValue
            guard d.isFinite, d == d.rounded(), abs(d) < 9e15 else { return nil }
            out.append(Int(d))
        }
        return out
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(_ name: String) throws(SafeTensorsError) -> Entry {
        guard let e = byName[name] else { throw SafeTensorsError(path: path, .missingTensor(name)) }
        return e
    }

    /// A tensor as float32, converted from any float dtype.
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        let e = try entry(name)
        let decode: (UnsafeRawBufferPointer, Int) -> Float
        switch e.dtype {
        case "F32":
            decode = {
                Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * $1, as: UInt32.self)))
            }
        case "F64":
            decode = {
                Float(
                    Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * $1, as: UInt64.self))))
            }
        case "F16":
            decode = {
                HalfPrecision.float(
                    fromHalf: UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: 2 * $1, as: UInt16.self)))
            }
        case "BF16":
            decode = {
                HalfPrecision.float(
                    fromBFloat16: UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: 2 * $1, as: UInt16.self)))
            }
        default:
            throw SafeTensorsError(
                path: path, .wrongKind(name: name, dtype: e.dtype, wanted: "a float type (F32, F16, BF16, F64)"))
        }
        return withBytes(of: e) { raw in
            Tensor(shape: e.shape) { out in
                for i in 0..<out.count { out[i] = decode(raw, i) }
            }
        }
    }

    /// An integer array (I8, U8, I16, I32, I64, BOOL), flattened in row-major order.
    public func integers(_ name: String) throws(SafeTensorsError) -> [Int] {
        let e = try entry(name)
        let decode: (UnsafeRawBufferPointer, Int) -> Int
        switch e.dtype {
        case "I64": decode = { Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * $1, as: Int64.self))) }
        case "I32": decode = { Int(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * $1, as: Int32.self))) }
        case "I16": decode = { Int(Int16(littleEndian: $0.loadUnaligned(fromByteOffset: 2 * $1, as: Int16.self))) }
        case "I8": decode = { Int($0.load(fromByteOffset: $1, as: Int8.self)) }
        case "U8", "BOOL": decode = { Int($0[$1]) }
        default:
            throw SafeTensorsError(path: path, .wrongKind(name: name, dtype: e.dtype, wanted: "an integer type"))
        }
        return withBytes(of: e) { raw in (0..<Shape.count(e.shape)).map { decode(raw, $0) } }
    }

    private func withBytes<R>(of e: Entry, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = payload.startIndex + e.range.lowerBound
        return payload[start..<(start + e.range.count)].withUnsafeBytes(body)
    }

    /// Every float tensor whose name starts with `prefix`, keyed by the rest of the name.
    public func tensors(prefix: String = "") throws(SafeTensorsError) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for e in entries where e.name.hasPrefix(prefix) {
            out[String(e.name.dropFirst(prefix.count))] = try tensor(e.name)
        }
        return out
    }
}

/// Writing safetensors files.
public enum SafeTensors {
    /// The metadata entry holding the checksums: a JSON object of each tensor's CRC-32C (of its
    /// data bytes) and the metadata's (`metadataChecksumName`), as eight hexadecimal digits.
    /// Other readers see one more string of metadata; GLIDN verifies it on every read.
    public static let checksumKey = "crc32c"
    public static let metadataChecksumName = "__metadata__"

    /// The CRC-32C of the metadata but the checksums: each key and value, in key order, each
    /// followed by a zero byte.
    static func metadataChecksum(_ metadata: [String: String]) -> UInt32 {
        var bytes: [UInt8] = []
        for key in metadata.keys.sorted() where key != checksumKey {
            bytes += Array(key.utf8) + [0] + Array(metadata[key]!.utf8) + [0]
        }
        return CRC32C.checksum(bytes)
    }

    /// Serialises named float tensors, with string metadata, into safetensors bytes.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata given: [String: String] = [:])
        -> Data
    {
        var metadata = given
        metadata.removeValue(forKey: checksumKey)
        var checksums = [metadataChecksumName: CRC32C.hex(metadataChecksum(metadata))]
        var header: [String: Any] = [:]
        var body = Data()
        for (name, tensor) in tensors {
            let begin = body.count
            tensor.withUnsafeBufferPointer { v in
                for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            }
            checksums[name] = body[begin...].withUnsafeBytes { CRC32C.hex(CRC32C.checksum($0)) }
            header[name] =
                ["dtype": "F32", "shape": tensor.shape, "data_offsets": [begin, body.count]] as [String: Any]
        }
        let sums = try? JSONSerialization.data(withJSONObject: checksums, options: [.sortedKeys])
        metadata[checksumKey] = sums.map { String(decoding: $0, as: UTF8.self) }
        header["__metadata__"] = metadata
        // Sorted keys make the file deterministic; spaces pad the header to 8 bytes.
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(body)
        return out
    }

    /// Writes the file atomically (temporary file, then rename).
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL)
        throws(AtomicFile.WriteError)
    {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: url)
    }
}
