import ArgumentParser

struct ETKCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etk",
        abstract: "Inspect encryption tokens (ETKs).",
        subcommands: [Show.self])
}
