import ArgumentParser
import CertManagerKit
import Foundation

struct KeystoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keystore",
        abstract: "Inspect eHealth keystores (PKCS#12) and change their password.",
        subcommands: [Show.self, Passwd.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a keystore's aliases, certificates, key types and validity, and its ETK.",
            discussion: "Reads the files of this tool and of the platform's own tools (legacy PKCS#12 too). The ETK is FILE with .etk instead of .p12, or --etk.")

        @Argument(help: "The keystore (.p12).")
        var file: String

        @Option(help: ArgumentHelp("The ETK to check against the keystore.", valueName: "FILE"))
        var etk: String?

        @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
            do {
                let report = try KeystoreReport.read(file: URL(fileURLWithPath: file), password: try password.read(new: false),
                                                     etkFile: etk.map { URL(fileURLWithPath: $0) })
                if json {
                    JSONOutput.print(JSONOutput.Keystore(report))
                } else {
                    print(KeystorePrinter(terminal: .current).text(report))
                }
            } catch let error as CertManagerError {
                throw runner.report(error, flowID: nil)
            }
        }
    }
}
