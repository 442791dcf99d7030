import ArgumentParser

/// `--force-environment` for the commands that sign with a keystore: a keystore is refused
/// against another environment than its certificate's CA belongs to (``KeystoreEnvironment``).
struct EnvironmentGuardOptionGroup: ParsableArguments {
    @Flag(name: .customLong("force-environment"),
          help: "Use the keystore although its certificate comes from another environment (sandbox, acceptance, production) than the one addressed.")
    var force = false
}
