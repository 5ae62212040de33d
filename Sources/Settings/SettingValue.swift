import Foundation

/// Whether a value from `JSONSerialization` is JSON's true or false (on Linux every number
/// 0 or 1 also casts to Bool, so the cast alone cannot tell).
func isJSONBool(_ value: Any) -> Bool {
    if type(of: value) == Bool.self { return true }
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
}

/// A type a setting can hold: it reads itself from command-line text and writes itself as
/// a JSON value (the form checkpoints and resume files store).
public protocol SettingValue: Sendable, Equatable {
    /// The value a command-line word means, or nil when it means none of this type.
    init?(settingText text: String)
    /// How `--help` and messages show it.
    var settingText: String { get }
    /// A JSON value (number, string, bool, null, array or object) for `JSONSerialization`.
    var jsonValue: Any { get }
    /// The value a JSON value means, or nil.
    init?(jsonValue: Any)
    /// What `--help` shows as the option's argument (`<int>`).
    static var valueName: String { get }
}

extension Int: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public var jsonValue: Any { self }
    public init?(jsonValue: Any) {
        guard let n = jsonValue as? NSNumber, !isJSONBool(jsonValue), let i = Int(exactly: n.doubleValue) else {
            return nil
        }
        self = i
    }
    public static var valueName: String { "int" }
}

extension UInt64: SettingValue {
    public init?(settingText text: String) { self.init(text) }
    public var settingText: String { String(self) }
    public var jsonValue: Any { NSNumber(value: self) }
    public init?(jsonValue: Any) {
        guard let n = jsonValue as? NSNumber, !isJSONBool(jsonValue) else { return nil }
        // Seeds are whole numbers; JSON keeps them as integers (up to 2^64 - 1).
        if let v = UInt64(n.stringValue) {
            self = v
            return
        }
        guard let v = UInt64(exactly: n.doubleValue) else { return nil }
        self = v
    }
    public static var valueName: String { "int" }
}

extension Float: SettingValue {
    public init?(settingText text: String) {
        guard let v = Float(text), v.isFinite else { return nil }
        self = v
    }
    /// The shortest text that reads back as the same float ("0.001", not "0.0010000000474974513";
    /// "2", not "2.0").
    public var settingText: String { self == rounded() && abs(self) < 1e7 ? String(Int(self)) : description }
    public var jsonValue: Any { self }
    public init?(jsonValue: Any) {
        guard let n = jsonValue as? NSNumber, !isJSONBool(jsonValue) else { return nil }
        self = n.floatValue
    }
    public static var valueName: String { "number" }
}

extension Double: SettingValue {
    public init?(settingText text: String) {
        guard let v = Double(text), v.isFinite else { return nil }
        self = v
    }
    public var settingText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : description
    }
    public var jsonValue: Any { self }
    public init?(jsonValue: Any) {
        guard let n = jsonValue as? NSNumber, !isJSONBool(jsonValue) else { return nil }
        self = n.doubleValue
    }
    public static var valueName: String { "number" }
}

extension Bool: SettingValue {
    public init?(settingText text: String) {
        switch text.lowercased() {
        case "true", "yes", "1": self = true
        case "false", "no", "0": self = false
        default: return nil
        }
    }
    public var settingText: String { self ? "true" : "false" }
    public var jsonValue: Any { self }
    public init?(jsonValue: Any) {
        guard isJSONBool(jsonValue), let b = jsonValue as? Bool else { return nil }
        self = b
    }
    public static var valueName: String { "bool" }
}

extension String: SettingValue {
    public init?(settingText text: String) { self = text }
    public var settingText: String { self }
    public var jsonValue: Any { self }
    public init?(jsonValue: Any) {
        guard let s = jsonValue as? String else { return nil }
        self = s
    }
    public static var valueName: String { "text" }
}

/// A choice among named cases (`--variant glidn`): any string enum.
public protocol SettingChoice: SettingValue, RawRepresentable, CaseIterable where RawValue == String {}

extension SettingChoice {
    public init?(settingText text: String) { self.init(rawValue: text) }
    public var settingText: String { rawValue }
    public var jsonValue: Any { rawValue }
    public init?(jsonValue: Any) {
        guard let s = jsonValue as? String else { return nil }
        self.init(rawValue: s)
    }
    public static var valueName: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// Absent or a value: a setting whose default is "none" or "the data set's own".
extension Optional: SettingValue where Wrapped: SettingValue {
    public init?(settingText text: String) {
        guard let v = Wrapped(settingText: text) else { return nil }
        self = .some(v)
    }
    public var settingText: String { map(\.settingText) ?? "none" }
    public var jsonValue: Any { map(\.jsonValue) ?? NSNull() }
    public init?(jsonValue: Any) {
        if jsonValue is NSNull {
            self = .none
            return
        }
        guard let v = Wrapped(jsonValue: jsonValue) else { return nil }
        self = .some(v)
    }
    public static var valueName: String { Wrapped.valueName }
}

/// name=number pairs, given one per occurrence of the option (`--distill-parameter direction=1`).
public struct NamedNumbers: SettingValue, Hashable {
    public var values: [String: Float]
    public init(_ values: [String: Float] = [:]) { self.values = values }

    public init?(settingText text: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let value = Float(parts[1]), value.isFinite else { return nil }
        values = [parts[0]: value]
    }
    public var settingText: String {
        values.isEmpty
            ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
    public var jsonValue: Any { values }
    public init?(jsonValue: Any) {
        guard let object = jsonValue as? [String: Any] else { return nil }
        var out: [String: Float] = [:]
        for (k, v) in object {
            guard let f = Float(jsonValue: v), f.isFinite else { return nil }
            out[k] = f
        }
        values = out
    }
    public static var valueName: String { "name=number" }
}
