import ArgumentParser

/// `--warn-days`: how far ahead `status`, `list` and `check` warn about expiry and replacement windows.
struct WarningWindowOptionGroup: ParsableArguments {
    @Option(name: .customLong("warn-days"), help: "Warn when a certificate expires, or its replacement window opens, within this many days (default 30).")
    var daysOption: Int?

    /// The command line's, else the configuration file's, else 30.
    var days: Int { daysOption ?? ActiveConfiguration.current.warnDays ?? 30 }

    func validate() throws {
        guard days >= 0 else { throw ValidationError("--warn-days must not be negative") }
    }
}
