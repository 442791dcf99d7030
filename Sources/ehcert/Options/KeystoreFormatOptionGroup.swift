import ArgumentParser
import CertManagerKit

/// The new keystore's protection, for the commands that write one (create, renew, foreigner).
struct KeystoreFormatOptionGroup: ParsableArguments {
    @Option(name: .customLong("keystore-format"), help: ArgumentHelp(
        "modern (AES-256/PBKDF2, the default) or legacy (3DES/RC2, SHA-1 MAC, as the platform's Java tools write; for Java 8 and non-ASCII passwords).",
        discussion: "A renewal keeps the replaced keystore's protection unless this is given.",
        valueName: "format"))
    var name: String?

    func validate() throws {
        if let name, KeystoreFormat(rawValue: name) == nil {
            throw ValidationError("--keystore-format must be modern or legacy")
        }
    }

    var format: KeystoreFormat? { name.flatMap(KeystoreFormat.init(rawValue:)) }
}
