/// A setting that cannot be used as given: the message names the option a user would type.
public struct SettingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
