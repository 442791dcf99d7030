import ArgumentParser

/// The new password of `keystore passwd`: a prompt (asked twice on a terminal), an environment
/// variable, or a file; never an argument.
struct NewKeystorePasswordOptionGroup: ParsableArguments {
    @Option(name: .customLong("new-password-env"), help: ArgumentHelp("Read the new keystore password from this environment variable.", valueName: "VAR"))
    var environmentVariable: String?

    @Option(name: .customLong("new-password-file"), help: ArgumentHelp("Read the new keystore password from the first line of this file.", valueName: "FILE"))
    var file: String?

    func validate() throws {
        if environmentVariable != nil, file != nil { throw ValidationError("give --new-password-env or --new-password-file, not both") }
    }

    func read() throws -> String {
        try SecretSource(environmentVariable: environmentVariable, file: file, what: "new keystore password").read(confirmingNew: true)
    }
}
