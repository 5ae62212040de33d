import CZlib
import Foundation

/// Writes `.npz` archives as NumPy's `np.savez` does: each array a `.npy` (format 1.0,
/// little-endian, C order) stored uncompressed in a zip with its CRC-32, so that `np.load` and
/// our own reader read them back.
public struct NPZWriter {
    /// One array's data, in one of the dtypes the package writes.
    public enum Values {
        case float32([Float])
        case float64([Double])
        case int64([Int])
        case uint8([UInt8])
    }

    private var members: [(name: String, bytes: [UInt8])] = []

    public init() {}

    /// Adds `name.npy` with `shape` (the values' count must be the shape's product).
    public mutating func add(_ name: String, shape: [Int], _ values: Values) {
        let (descr, data): (String, [UInt8])
        switch values {
        case .float32(let v): (descr, data) = ("<f4", v.withUnsafeBytes { Array($0) })
        case .float64(let v): (descr, data) = ("<f8", v.withUnsafeBytes { Array($0) })
        case .int64(let v): (descr, data) = ("<i8", v.map(Int64.init).withUnsafeBytes { Array($0) })
        case .uint8(let v): (descr, data) = ("|u1", v)
        }
        let count = shape.reduce(1, *)
        let width = ["<f4": 4, "<f8": 8, "<i8": 8, "|u1": 1][descr]!
        precondition(
            data.count == count * width, "NPZWriter: \(name) holds \(data.count / width) values for shape \(shape)")
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        // Magic, version, a 2-byte length, the header padded with spaces and a newline to 64 bytes.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        npy += [UInt8(header.utf8.count & 255), UInt8(header.utf8.count >> 8)]
        npy += Array(header.utf8) + data
        members.append((name + ".npy", npy))
    }

    /// The archive's bytes.
    public func archive() -> Data {
        var out = Data()
        var central = Data()
        func le16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 255), UInt8((v >> 8) & 255)]) }
        func le32(_ v: Int, _ d: inout Data) {
            for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8((v >> s) & 255)) }
        }
        for (name, bytes) in members {
            let crc = bytes.withUnsafeBufferPointer { Int(CZlib.crc32(0, $0.baseAddress, UInt32($0.count))) }
            let offset = out.count
            let nameBytes = Array(name.utf8)
            // Local header: signature, version 20, flags 0, stored, time and date 0, CRC, sizes, name.
            le32(0x0403_4b50, &out)
            le16(20, &out)
            le16(0, &out)
            le16(0, &out)
            le16(0, &out)
            le16(0x21, &out)
            le32(crc, &out)
            le32(bytes.count, &out)
            le32(bytes.count, &out)
            le16(nameBytes.count, &out)
            le16(0, &out)
            out.append(contentsOf: nameBytes)
            out.append(contentsOf: bytes)
            le32(0x0201_4b50, &central)
            le16(20, &central)
            le16(20, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0x21, &central)
            le32(crc, &central)
            le32(bytes.count, &central)
            le32(bytes.count, &central)
            le16(nameBytes.count, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0, &central)
            le16(0, &central)
            le32(0, &central)
            le32(offset, &central)
            central.append(contentsOf: nameBytes)
        }
        let centralOffset = out.count
        out.append(central)
        le32(0x0605_4b50, &out)
        le16(0, &out)
        le16(0, &out)
        le16(members.count, &out)
        le16(members.count, &out)
        le32(central.count, &out)
        le32(centralOffset, &out)
        le16(0, &out)
        return out
    }
}
