import ArgumentParser

/// `--warn-days`: how far ahead `status`, `list` and `check` warn about expiry and replacement windows.
struct WarningWindowOptionGroup: ParsableArguments {
    @Option(name: .customLong("warn-days"), help: "Warn when a certificate expires, or its replacement window opens, within this many days.")
    var days: Int = 30

    func validate() throws {
        guard days >= 0 else { throw ValidationError("--warn-days must not be negative") }
    }
}
