import ArgumentParser
import CertManagerKit
import Foundation

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the certificates you have or manage, as the platform knows them.",
        discussion: """
        Asks getCertificateInfoForCitizen, signed with your eID's Authentication key: your personal \
        certificates and those of the organizations you manage, with their status, expiry and \
        PublicKeyIdentifier (which `ehcert revoke` takes).
        """)

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup

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
                                                     settings: FlowSettings(connection: try connection.connectionOptions()))
            let certificates = try await information.certificates(of: try eID.deferredKeySource())
            let now = Date()
            if json {
                JSONOutput.print(certificates.map { JSONOutput.Status($0, now: now, warnDays: warning.days) })
            } else if certificates.isEmpty {
                print("The platform knows no certificate of yours.")
            } else {
                let printer = StatusPrinter(terminal: .current, now: now)
                print(certificates.map { printer.text($0, warnDays: warning.days) }.joined(separator: "\n\n"))
            }
            LeftoverSecretsNotice.print()
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
