/// Something a user chooses by name (a data set, a distillation scheme, a graph layer, a
/// BLAS library, a detector): its name on the command line and one line saying what it is.
public protocol Named {
    /// The value that chooses it (`--dataset cad120-gt`).
    static var name: String { get }
    /// One line for `--help` and the documentation.
    static var summary: String { get }
}

/// The entries of one kind the package knows, by name: a new entry is one type and one line in
/// its catalogue's list. `Entry` is a protocol's metatype (`any DatasetProvider.Type`) whose
/// protocol refines `Named`.
public struct Catalogue<Entry>: @unchecked Sendable {
    /// The option or variable that names an entry, for messages (`--dataset`).
    public let option: String
    public let entries: [Entry]

    public init(option: String, _ entries: [Entry]) {
        for entry in entries {
            precondition(entry is any Named.Type, "catalogue \(option): \(entry) does not conform to Named")
        }
        self.option = option
        self.entries = entries
        let names = self.names
        precondition(Set(names).count == names.count, "catalogue \(option): two entries share a name (\(names))")
    }

    private static func named(_ entry: Entry) -> any Named.Type {
        // Checked in `init`.
        entry as! any Named.Type  // swiftlint:disable:this force_cast
    }

    public var names: [String] { entries.map { Self.named($0).name } }

    /// The entry called `name`, if there is one.
    public func entry(named name: String) -> Entry? {
        entries.first { Self.named($0).name == name }
    }

    /// The entry called `name`, or an error naming the option and the known names.
    public func lookUp(_ name: String) throws(SettingError) -> Entry {
        guard let entry = entry(named: name) else {
            throw SettingError("unknown \(option) '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        return entry
    }

    /// "name: summary" per entry, for `--help`.
    public var descriptions: [String] { entries.map { "\(Self.named($0).name): \(Self.named($0).summary)" } }
}
