import Foundation

/// Values of settings, by setting: those given (on the command line, by a recipe, in a stored
/// run); a setting without a value here has its declared default.
public struct SettingValues: Sendable, Equatable {
    private var stored: [String: any SettingValue] = [:]

    public init() {}

    /// The value of `setting`: the one given, else its default.
    public subscript<V>(_ setting: Setting<V>) -> V {
        get { stored[setting.name] as? V ?? setting.defaultValue }
        set { stored[setting.name] = newValue }
    }

    /// The value given for `setting`, or nil when it was left out.
    public func given<V>(_ setting: Setting<V>) -> V? { stored[setting.name] as? V }

    /// Whether a value was given for the setting named `name`.
    public func isGiven(_ name: String) -> Bool { stored[name] != nil }

    /// The names of the settings given, sorted.
    public var givenNames: [String] { stored.keys.sorted() }

    public var isEmpty: Bool { stored.isEmpty }

    /// Sets a value of any type (checked by the caller against its declaration).
    public mutating func set(_ value: any SettingValue, for setting: any AnySetting) { stored[setting.name] = value }

    public mutating func remove(_ setting: any AnySetting) { stored[setting.name] = nil }

    /// The value stored for `setting`, or nil.
    public func anyValue(_ setting: any AnySetting) -> (any SettingValue)? { stored[setting.name] }

    /// The value of `setting` as text: given, else its default.
    public func text(_ setting: any AnySetting) -> String { (stored[setting.name] ?? setting.anyDefault).settingText }

    /// Each value of `self`, else `fallback`'s.
    public func over(_ fallback: SettingValues) -> SettingValues {
        var out = fallback
        for (k, v) in stored { out.stored[k] = v }
        return out
    }

    /// Every setting of `settings` with its value: the given one, else its default (to compare
    /// what two sets of values mean, whichever of them were given).
    public func effective(_ settings: [any AnySetting]) -> SettingValues {
        var out = self
        for s in settings where out.stored[s.name] == nil { out.stored[s.name] = s.anyDefault }
        return out
    }

    /// Only the values of `settings`.
    public func restricted(to settings: [any AnySetting]) -> SettingValues {
        var out = SettingValues()
        for s in settings { out.stored[s.name] = stored[s.name] }
        return out
    }

    public static func == (a: SettingValues, b: SettingValues) -> Bool {
        guard a.stored.count == b.stored.count else { return false }
        return a.stored.allSatisfy { key, value in b.stored[key].map { same(value, $0) } ?? false }
    }

    static func same(_ a: any SettingValue, _ b: any SettingValue) -> Bool {
        func equal<T: SettingValue>(_ x: T) -> Bool { (b as? T) == x }
        return equal(a)
    }

    /// The values of `settings` as a JSON object keyed by `AnySetting.key`: every setting with
    /// `includingDefaults`, else the given ones.
    public func jsonObject(_ settings: [any AnySetting], includingDefaults: Bool = true) -> [String: Any] {
        var object: [String: Any] = [:]
        for s in settings {
            if let v = stored[s.name] {
                object[s.key] = v.jsonValue
            } else if includingDefaults {
                object[s.key] = s.anyDefault.jsonValue
            }
        }
        return object
    }

    /// The values of `settings` found in `object` (by key, option name or a legacy key), each
    /// checked; keys of other settings are left to the caller.
    public static func decode(_ object: [String: Any], settings: [any AnySetting], source: String) throws(SettingError)
        -> SettingValues
    {
        var out = SettingValues()
        for s in settings {
            guard let json = ([s.key, s.name] + s.legacyKeys).lazy.compactMap({ object[$0] }).first else { continue }
            out.stored[s.name] = try s.decode(json: json, source: source)
        }
        return out
    }

    /// Each setting of `settings` whose value differs between `self` and `other`, as
    /// "--name A (otherName: B)", values left out showing their defaults.
    public func differences(from other: SettingValues, settings: [any AnySetting], otherName: String) -> [String] {
        settings.compactMap { s in
            let (a, b) = (text(s), other.text(s))
            return a == b ? nil : "\(s.option) \(a) (\(otherName): \(b))"
        }
    }
}
