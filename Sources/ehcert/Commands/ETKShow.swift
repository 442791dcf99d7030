import ArgumentParser
import CertManagerKit
import Foundation

extension ETKCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whose an ETK is, its encryption certificate and validity, and who signed it.",
            discussion: """
            An ETK (encryption token) is what senders use to encrypt messages for you; the platform \
            signs it. FILE is the .etk saved next to the keystore (DER), or the ETK's base64 text, \
            bare or between PEM lines. With --keystore, also says whether that keystore holds the \
            ETK's private key, and under which alias: without it, messages encrypted for this ETK \
            cannot be read. The keystore's password is asked for only then.
            """)

        @Argument(help: "The ETK file.")
        var file: String

        @Option(help: ArgumentHelp("A keystore (.p12) to look for the ETK's private key in.", valueName: "FILE"))
        var keystore: String?

        @OptionGroup(title: "Keystore password (with --keystore)") var password: KeystorePasswordOptionGroup

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) does not exist") }
            if let keystore, !FileManager.default.fileExists(atPath: keystore) { throw ValidationError("\(keystore) does not exist") }
        }

        func run() async throws {
            let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
            do {
                let keystorePassword = try keystore.map { _ in try password.read(new: false) }
                let report = try ETKReport.read(file: URL(fileURLWithPath: file), keystore: keystore.map { URL(fileURLWithPath: $0) },
                                                password: keystorePassword)
                if json {
                    JSONOutput.print(JSONOutput.ETKDetails(report))
                } else {
                    print(ETKPrinter(terminal: .current, now: Date()).text(report))
                }
            } catch let error as CertManagerError {
                throw runner.report(error, flowID: nil)
            }
        }
    }
}
