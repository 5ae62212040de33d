import Autograd
import Foundation

/// Reads the .npy format: magic "\x93NUMPY", version, a little-endian header length,
/// a Python-literal dict {'descr': …, 'fortran_order': …, 'shape': (…)}, then the data.
public enum NPYReader {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    public static func read(contentsOf url: URL) throws(NumPyError) -> NumPyArray {
        let data: Data
        do { data = try InputFile.contents(of: url) } catch {
            throw NumPyError(path: url.path, error.problem)
        }
        return try parse(data, path: url.path)
    }

    /// What a header declares: the dtype, the shape and its element count, the order, and
    /// where the data starts.
    struct Header {
        let descr: String
        let dtype: NumPyDType
        let bigEndian: Bool
        let shape: [Int]
        let count: Int
        let fortran: Bool
        let dataStart: Int
    }

    /// The file's whole length as its header declares it (header plus data), once `prefix`
    /// holds the whole header; nil while it does not yet. Errors if the header is malformed.
    static func declaredLength(prefix: Data, path: String) throws(NumPyError) -> Int? {
        let bytes = [UInt8](prefix.prefix(12))
        guard bytes.count >= 10 else { return nil }
        guard bytes[6] == 1 || bytes.count >= 12 else { return nil }
        let headerEnd =
            bytes[6] == 1
            ? 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
            : 12 + (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24)
        guard prefix.count >= headerEnd else { return nil }
        let header = try parseHeader([UInt8](prefix.prefix(headerEnd)), path: path)
        return header.dataStart + header.count * header.dtype.size
    }

    /// The magic, the version, the header dict; the shape within the memory limit.
    static func parseHeader(_ bytes: [UInt8], path: String) throws(NumPyError) -> Header {
        func fail(_ p: String) -> NumPyError { NumPyError(path: path, p) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("is not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("has format version \(major), which is not supported (1, 2 or 3)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw fail("declares a \(headerLength)-byte header but is only \(bytes.count) bytes long (truncated)")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let parsed: PythonLiteral
        do {
            parsed = try PythonLiteral.parse(header)
        } catch {
            throw fail("has an unreadable header: \(error.message)")
        }
        guard case .dict(let entries) = parsed else { throw fail("has a header that is not a dict") }
        let fields = Dictionary(
            entries.compactMap { key, value -> (String, PythonLiteral)? in
                if case .string(let k) = key { return (k, value) }
                return nil
            }, uniquingKeysWith: { a, _ in a })
        guard case .string(let descr)? = fields["descr"] else { throw fail("has no 'descr' (dtype) in its header") }
        guard let (dtype, big) = NumPyDType.parse(descr) else {
            throw fail("stores dtype '\(descr)', which is not supported (float16/32/64, int8–64, uint8–32, bool)")
        }
        guard case .tuple(let dims)? = fields["shape"] else { throw fail("has no 'shape' tuple in its header") }
        var shape: [Int] = []
        for d in dims {
            guard case .integer(let v) = d, v >= 0 else {
                throw fail("has a shape entry that is not a non-negative integer")
            }
            shape.append(v)
        }
        var fortran = false
        if case .bool(let f)? = fields["fortran_order"] { fortran = f }
        guard let count = ResourceLimits.product(shape) else {
            throw fail("declares a shape \(shape) beyond the memory limit (\(ResourceLimits.maximumElements) values)")
        }
        return Header(
            descr: descr, dtype: dtype, bigEndian: big, shape: shape, count: count, fortran: fortran,
            dataStart: headerStart + headerLength)
    }

    public static func parse(_ input: Data, path: String) throws(NumPyError) -> NumPyArray {
        let bytes = [UInt8](input)
        let h = try parseHeader(bytes, path: path)
        let needed = h.count * h.dtype.size
        guard bytes.count - h.dataStart >= needed else {
            throw NumPyError(
                path: path,
                "holds \(bytes.count - h.dataStart) data bytes, but \(h.descr) \(h.shape) needs \(needed) (truncated)")
        }
        var values = bytes.withUnsafeBytes { raw in
            h.dtype.decode(
                UnsafeRawBufferPointer(rebasing: raw[h.dataStart..<(h.dataStart + needed)]), count: h.count,
                bigEndian: h.bigEndian)
        }
        if h.fortran {
            switch values {
            case .floats(let v): values = .floats(fortranToC(v, shape: h.shape))
            case .integers(let v): values = .integers(fortranToC(v, shape: h.shape))
            }
        }
        return NumPyArray(shape: h.shape, dtype: h.descr, values: values)
    }
}
