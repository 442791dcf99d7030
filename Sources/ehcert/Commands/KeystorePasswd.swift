import ArgumentParser
import CertManagerKit
import Foundation

extension KeystoreCommand {
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a keystore's password, safely.",
            discussion: """
            Asks for the current password, then the new one (twice on a terminal), unless given with \
            --password-env/--password-file and --new-password-env/--new-password-file. The keystore \
            is re-encrypted and checked before it replaces the file in one step: a wrong password, \
            a full disk or a crash leaves the old file as it was. Every alias, key and certificate \
            is kept, and so is the protection (a file made by the platform's Java tools stays \
            readable by Java 8) unless --format says otherwise. Software that opens this keystore \
            (your medical software, the platform's connector) needs the new password too.
            """)

        @Argument(help: "The keystore (.p12).")
        var file: String

        @OptionGroup(title: "Current password") var password: KeystorePasswordOptionGroup
        @OptionGroup(title: "New password") var newPassword: NewKeystorePasswordOptionGroup

        @Option(help: ArgumentHelp("The protection to write: keep (the file's), modern (AES-256; Java 17, OpenSSL 3), legacy (as the platform's Java tools write; Java 8) or legacy-3des (Java 8 without RC2).",
                                   valueName: "FORMAT"))
        var format: KeystorePasswordChange.Protection = .keep

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) does not exist") }
        }

        func run() async throws {
            let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
            do {
                let current = try password.read(new: false)
                let new = try newPassword.read()
                let outcome = try KeystorePasswordChange.change(file: URL(fileURLWithPath: file), from: current, to: new, protection: format)
                // Finished flows' copies of this keystore's keys are protected by the old password.
                let keystore = URL(fileURLWithPath: file).standardizedFileURL
                try LeftoverSecretsNotice.workDirectory.removeSecretsOfFinishedFlows { $0.keystoreFile.standardizedFileURL == keystore }
                if json {
                    JSONOutput.print(JSONOutput.PasswordChange(file: outcome.file.path, aliases: outcome.aliases,
                                                               protectionBefore: outcome.protectionBefore, protection: outcome.protectionAfter))
                } else {
                    let terminal = Terminal.current
                    print(terminal.styled("✓", .green) + " New password for \(outcome.file.path)")
                    print("    kept     \(outcome.aliases.count) entr\(outcome.aliases.count == 1 ? "y" : "ies"): \(outcome.aliases.joined(separator: ", "))")
                    print("    format   \(outcome.protectionAfter)")
                }
            } catch let error as CertManagerError {
                throw runner.report(error, flowID: nil)
            }
        }
    }
}

extension KeystorePasswordChange.Protection: ExpressibleByArgument {}

extension JSONOutput {
    struct PasswordChange: Encodable {
        let file: String
        let aliases: [String]
        let protectionBefore: String?
        let protection: String
    }
}
