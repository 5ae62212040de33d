/// One setting of the model, of training or of the data, declared once: its command-line name,
/// type, default, valid range and help. Everything else is derived from the declaration: the
/// option `--name`, its line in `--help`, its key in checkpoints and resume files
/// (`name` with `_` for `-`), the check of a given value and the message that names the
/// option when it fails.
///
/// A new setting is this declaration (in `ModelSettings`, `TrainingSettings` or `DataSettings`),
/// the code that reads it (`config[ModelSettings.name]`) and a line of documentation.
public struct Setting<Value: SettingValue>: AnySetting {
    public let name: String
    public let help: String
    public let defaultValue: Value
    /// Other names the option answers to (`--learning-rate` for `--lr`).
    public let aliases: [String]
    /// Keys older files stored the setting under, still read.
    public let legacyKeys: [String]
    /// What `--help` shows as the default when the value alone would not say it ("the data set's own").
    public let defaultNote: String?
    /// The key in stored JSON: `name` with `_` for `-`, unless the format says otherwise.
    public let key: String
    let check: Check<Value>

    public init(
        _ name: String, default defaultValue: Value, help: String, check: Check<Value> = .any, aliases: [String] = [],
        key: String? = nil, legacyKeys: [String] = [], defaultNote: String? = nil
    ) {
        (self.name, self.defaultValue, self.help, self.check) = (name, defaultValue, help, check)
        (self.aliases, self.legacyKeys, self.defaultNote) = (aliases, legacyKeys, defaultNote)
        self.key = key ?? name.replacingOccurrences(of: "-", with: "_")
        precondition(
            check.problem(defaultValue) == nil,
            "setting --\(name): its default \(defaultValue.settingText) fails its own check")
    }

    public var valueName: String { Value.valueName }
    public var isFlag: Bool { Value.self == Bool.self }
    public var isRepeatable: Bool { Value.self == NamedNumbers.self }
    public var defaultText: String { defaultNote ?? defaultValue.settingText }
    public var rangeText: String? { check.description }
    public var anyDefault: any SettingValue { defaultValue }

    /// The problem with `value` for this setting, naming the option, or nil.
    public func problem(_ value: Value) -> SettingError? {
        check.problem(value).map { SettingError("--\(name) \($0), got \(value.settingText)") }
    }

    public func parse(_ text: String) throws(SettingError) -> any SettingValue {
        guard let value = Value(settingText: text) else {
            let expected =
                Value.self is any SettingChoice.Type
                ? "one of \(Value.valueName.replacingOccurrences(of: "|", with: ", "))"
                : "a value of type <\(Value.valueName)>"
            throw SettingError("--\(name) takes \(expected), got '\(text)'")
        }
        if let problem = problem(value) { throw problem }
        return value
    }

    public func decode(json: Any, source: String) throws(SettingError) -> any SettingValue {
        guard let value = Value(jsonValue: json) else {
            throw SettingError("\(source): '\(key)' holds \(json), not a value of type <\(Value.valueName)>")
        }
        if let problem = check.problem(value) {
            throw SettingError("\(source): '\(key)' (--\(name)) \(problem), got \(value.settingText)")
        }
        return value
    }

    public func problem(ofAny value: any SettingValue) -> SettingError? {
        guard let value = value as? Value else { return SettingError("--\(name): a value of the wrong type") }
        return problem(value)
    }

    public func merged(_ old: (any SettingValue)?, _ new: any SettingValue) -> any SettingValue {
        guard let old = old as? NamedNumbers, let new = new as? NamedNumbers else { return new }
        return NamedNumbers(old.values.merging(new.values) { $1 })
    }
}

/// A setting of any type, for lists of declarations (`[any AnySetting]`).
public protocol AnySetting: Sendable {
    var name: String { get }
    /// The key in stored JSON (`local_layers` for `--local-layers`).
    var key: String { get }
    var help: String { get }
    var aliases: [String] { get }
    var legacyKeys: [String] { get }
    var valueName: String { get }
    /// A switch given without a value (`--skip-missing`); `--name=false` turns it off.
    var isFlag: Bool { get }
    /// Given once per entry, the entries gathered (`--distill-parameter a=1 --distill-parameter b=2`).
    var isRepeatable: Bool { get }
    var defaultText: String { get }
    var rangeText: String? { get }
    var anyDefault: any SettingValue { get }
    /// The value a command-line word gives this setting, checked.
    func parse(_ text: String) throws(SettingError) -> any SettingValue
    /// The value a stored JSON value gives this setting, checked.
    func decode(json: Any, source: String) throws(SettingError) -> any SettingValue
    func problem(ofAny value: any SettingValue) -> SettingError?
    /// What a second occurrence of the option makes of the first.
    func merged(_ old: (any SettingValue)?, _ new: any SettingValue) -> any SettingValue
}

extension AnySetting {
    /// The option as typed: `--local-layers`.
    public var option: String { "--" + name }
    /// Every name the option answers to.
    public var optionNames: [String] { [name] + aliases }
}

/// What values a setting takes beyond its type.
public struct Check<Value: SettingValue>: Sendable {
    let description: String?
    let test: @Sendable (Value) -> String?

    public init(_ description: String?, _ test: @escaping @Sendable (Value) -> String?) {
        (self.description, self.test) = (description, test)
    }

    func problem(_ value: Value) -> String? { test(value) }

    public static var any: Check { Check(nil) { _ in nil } }
}

extension Check where Value: Comparable {
    /// lower ≤ value ≤ upper.
    public static func within(_ range: ClosedRange<Value>) -> Check {
        bounded("\(range.lowerBound.settingText)…\(range.upperBound.settingText)", lower: range.lowerBound) {
            range.contains($0)
        }
    }

    /// lower ≤ value < upper.
    public static func within(_ range: Range<Value>) -> Check {
        bounded("[\(range.lowerBound.settingText), \(range.upperBound.settingText))", lower: range.lowerBound) {
            range.contains($0)
        }
    }

    /// Values `contains` accepts, described as `text`; a negative value below `lower` is said so.
    private static func bounded(_ text: String, lower: Value, _ contains: @escaping @Sendable (Value) -> Bool) -> Check
    {
        Check(text) { v in
            contains(v) ? nil : (v < lower && isNegative(v) ? "cannot be negative" : "must lie in \(text)")
        }
    }

    /// value ≥ lower.
    public static func atLeast(_ lower: Value) -> Check {
        Check("≥ \(lower.settingText)") { v in
            v >= lower ? nil : (isNegative(v) ? "cannot be negative" : "must be at least \(lower.settingText)")
        }
    }

    /// value > lower.
    public static func above(_ lower: Value) -> Check {
        Check("> \(lower.settingText)") { v in
            v > lower ? nil : (isNegative(v) ? "cannot be negative" : "must be above \(lower.settingText)")
        }
    }

    private static func isNegative(_ v: Value) -> Bool { v.settingText.hasPrefix("-") }
}

extension Check {
    /// The check of the wrapped value when there is one.
    public static func some<Wrapped>(_ inner: Check<Wrapped>) -> Check where Value == Wrapped? {
        Check(inner.description) { v in v.flatMap(inner.problem) }
    }

    /// One of `names` (a choice whose cases come from a catalogue).
    public static func oneOf(_ names: @escaping @Sendable () -> [String]) -> Check where Value == String {
        Check(nil) { v in names().contains(v) ? nil : "is one of \(names().joined(separator: ", "))" }
    }
}
