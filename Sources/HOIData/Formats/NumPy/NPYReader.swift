import Foundation

/// Reads the .npy format: magic "\x93NUMPY", version, a little-endian header length,
/// a Python-literal dict {'descr': …, 'fortran_order': …, 'shape': (…)}, then the data.
public enum NPYReader {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    public static func read(contentsOf url: URL) throws(NumPyError) -> NumPyArray {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NumPyError(path: url.path, "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data, path: url.path)
    }

    public static func parse(_ input: Data, path: String) throws(NumPyError) -> NumPyArray {
        let bytes = [UInt8](input)
        func fail(_ p: String) -> NumPyError { NumPyError(path: path, p) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("is not a .npy file (no \\x93NUMPY magic)") }
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
        let fields = Dictionary(entries.compactMap { key, value -> (String, PythonLiteral)? in
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
            guard case .integer(let v) = d, v >= 0 else { throw fail("has a shape entry that is not a non-negative integer") }
            shape.append(v)
        }
        var fortran = false
        if case .bool(let f)? = fields["fortran_order"] { fortran = f }
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= 1 << 40 else { throw fail("declares an absurd shape \(shape)") }
            count = p
        }
        let dataStart = headerStart + headerLength
        let needed = count * dtype.size
        guard bytes.count - dataStart >= needed else {
            throw fail("holds \(bytes.count - dataStart) data bytes, but \(descr) \(shape) needs \(needed) (truncated)")
        }
        var values = bytes.withUnsafeBytes { raw in
            dtype.decode(UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + needed)]), count: count, bigEndian: big)
        }
        if fortran {
            switch values {
            case .floats(let v): values = .floats(fortranToC(v, shape: shape))
            case .integers(let v): values = .integers(fortranToC(v, shape: shape))
            }
        }
        return NumPyArray(shape: shape, dtype: descr, values: values)
    }
}
