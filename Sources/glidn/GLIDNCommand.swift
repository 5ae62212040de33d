import ArgumentParser

@main
struct GLIDNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glidn",
        abstract: "Global-Local Interaction Distillation Network: human-object interaction recognition in video.",
        version: "0.1.0",
        subcommands: [VerifyReferenceCommand.self]
    )
}
