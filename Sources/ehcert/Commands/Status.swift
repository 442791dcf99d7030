import ArgumentParser
import CertManagerKit
import Foundation

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the platform's status of a keystore's certificate and ETK.",
        discussion: """
        Asks getCertificateInfoForAuthenticationCertificate, signed with the keystore's eHealth \
        authentication key: the certificate's and ETK's status, expiry, and when it can be renewed \
        (the replacement window opens about 3 months before expiry, at ReplacementPeriodStartDate). \
        An expired certificate cannot be renewed, only requested anew with `ehcert create`.
        """)

    @Argument(help: "The keystore (.p12).")
    var keystore: String

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Environment") var environmentGuard: EnvironmentGuardOptionGroup

    @OptionGroup(title: "Warnings") var warning: WarningWindowOptionGroup

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        do {
            let information = CertificateInformation(endpoints: connection.endpoints!,
                                                     settings: FlowSettings(connection: try connection.connectionOptions(), allowsOtherEnvironment: environmentGuard.force))
            let status = try await information.status(ofKeystore: URL(fileURLWithPath: keystore), password: try password.read(new: false))
            let now = Date()
            if json {
                JSONOutput.print(JSONOutput.Status(status, now: now, warnDays: warning.days))
            } else {
                print(StatusPrinter(terminal: .current, now: now).text(status, warnDays: warning.days))
            }
            LeftoverSecretsNotice.print()
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
