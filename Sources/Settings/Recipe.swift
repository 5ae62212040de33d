/// The best configuration measured for a data set and task: the options a study chose, as a
/// user would type them, and where its figures are. A recipe lies under the options a user
/// gives and over the declared defaults.
public struct Recipe: Sendable, Equatable {
    /// The options, as command-line words (`--variant global --hidden 64 …`).
    public let arguments: [String]
    /// Where the figures that chose it are (a section of docs/STUDIES.md).
    public let evidence: String

    public init(_ arguments: String, evidence: String) {
        self.arguments = arguments.split(separator: " ").map(String.init)
        self.evidence = evidence
    }

    /// The recipe's values, read with `settings` (every recipe is checked by a test).
    public func values(_ settings: [any AnySetting]) throws(SettingError) -> SettingValues {
        try SettingParser.parse(arguments, settings: settings)
    }
}

/// The catalogues of the package, one per kind of thing chosen by name; each module adds its
/// own (`Catalogues.datasets`, `Catalogues.distillationSchemes`, …).
public enum Catalogues {}
