import Autograd

/// An array read from NumPy's formats (.npy, .npz, or a pickled ndarray), converted on
/// reading to float32 (float dtypes) or Int (integer and bool dtypes).
public struct NumPyArray: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case floats([Float])
        case integers([Int])
    }

    public let shape: [Int]
    /// The NumPy type string it was stored as, e.g. "<f4", "|b1".
    public let dtype: String
    public let values: Values

    public var count: Int { Shape.count(shape) }

    /// The values as floats (integers converted).
    public var floats: [Float] {
        switch values {
        case .floats(let v): return v
        case .integers(let v): return v.map(Float.init)
        }
    }

    /// The values as integers, or nil for a float array.
    public var integers: [Int]? {
        if case .integers(let v) = values { return v }
        return nil
    }

    public var tensor: Tensor { Tensor(shape: shape, values: floats) }
}

/// The element types the readers accept.
enum NumPyDType {
    case float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, bool

    /// Parses a type string such as "<f4", "|u1", ">i8"; big-endian is read too.
    static func parse(_ descr: String) -> (NumPyDType, bigEndian: Bool)? {
        guard let first = descr.first else { return nil }
        var code = descr
        var big = false
        if "<>|=".contains(first) {
            big = first == ">"
            code = String(descr.dropFirst())
        }
        let table: [String: NumPyDType] = [
            "f2": .float16, "f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
            "u1": .uint8, "u2": .uint16, "u4": .uint32, "b1": .bool, "?": .bool,
        ]
        return table[code].map { ($0, big) }
    }

    var size: Int {
        switch self {
        case .int8, .uint8, .bool: 1
        case .float16, .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64: 8
        }
    }

    var isFloat: Bool { self == .float16 || self == .float32 || self == .float64 }

    /// Decodes `count` elements from raw bytes (already checked to be long enough).
    func decode(_ raw: UnsafeRawBufferPointer, count: Int, bigEndian: Bool) -> NumPyArray.Values {
        func word<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            let v = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
        }
        switch self {
        case .float16: return .floats((0..<count).map { HalfPrecision.float(fromHalf: word($0, UInt16.self)) })
        case .float32: return .floats((0..<count).map { Float(bitPattern: word($0, UInt32.self)) })
        case .float64: return .floats((0..<count).map { Float(Double(bitPattern: word($0, UInt64.self))) })
        case .int8: return .integers((0..<count).map { Int(Int8(bitPattern: raw[$0])) })
        case .uint8, .bool: return .integers((0..<count).map { Int(raw[$0]) })
        case .int16: return .integers((0..<count).map { Int(word($0, Int16.self)) })
        case .uint16: return .integers((0..<count).map { Int(word($0, UInt16.self)) })
        case .int32: return .integers((0..<count).map { Int(word($0, Int32.self)) })
        case .uint32: return .integers((0..<count).map { Int(word($0, UInt32.self)) })
        case .int64: return .integers((0..<count).map { Int(word($0, Int64.self)) })
        }
    }
}

/// Reorders the elements of a Fortran-order (column-major) array into C order.
func fortranToC<T>(_ values: [T], shape: [Int]) -> [T] {
    guard shape.count > 1 else { return values }
    let count = values.count
    var out = values
    let cStrides = Shape.strides(shape)
    var fStrides = [Int](repeating: 1, count: shape.count)
    for i in 1..<shape.count { fStrides[i] = fStrides[i - 1] * shape[i - 1] }
    for c in 0..<count {
        var rest = c
        var f = 0
        for axis in 0..<shape.count {
            let index = rest / cStrides[axis]
            rest %= cStrides[axis]
            f += index * fStrides[axis]
        }
        out[c] = values[f]
    }
    return out
}

/// A NumPy file that cannot be read, naming the file and the problem.
public struct NumPyError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public init(path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "NumPy file \(path): \(problem)" }
}
