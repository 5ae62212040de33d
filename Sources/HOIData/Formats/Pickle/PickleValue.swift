/// A value read from a Python pickle by `SafePickleReader`: plain data and NumPy arrays only.
public indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    case dict([(key: PickleValue, value: PickleValue)])
    case set([PickleValue])
    case array(NumPyArray)

    public static func == (a: PickleValue, b: PickleValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)), (.set(let x), .set(let y)): return x == y
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): return x == y
        default: return false
        }
    }

    /// A dict's value for a string key.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { $0.key == .string(key) }?.value
    }

    public var intValue: Int? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        case .array(let a) where a.count == 1: return a.integers?.first
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        case .array(let a) where a.count == 1: return Double(a.floats[0])
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements of a list or tuple.
    public var items: [PickleValue]? {
        switch self {
        case .list(let v), .tuple(let v): return v
        default: return nil
        }
    }

    public var arrayValue: NumPyArray? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A short name of the kind of value, for error messages.
    public var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .set: "set"
        case .array(let a): "ndarray \(a.dtype) \(a.shape)"
        }
    }
}

/// A pickle that cannot be read safely, naming the file, the byte offset and the problem.
public struct PickleError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let offset: Int
    public let problem: String
    public var description: String { "pickle \(path), byte \(offset): \(problem)" }
}
