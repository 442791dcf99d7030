import ArgumentParser
import CertManagerKit
import Foundation

struct ApplicationIDs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app-ids",
        abstract: "List the application ids an organization's certificates already use.",
        discussion: """
        Asks getExistingApplicationIds (cookbook 4.3.4 step 4). An organization can hold several \
        certificates, told apart by an application id (e.g. one for each software package); a new \
        certificate needs one not yet in use (`ehcert create --app-id`). The identifier is checked \
        against the type's rules first (see `ehcert org-types`). No eID is needed: the operation is \
        not signed.
        """)

    @Option(name: .customLong("org-type"), help: "The organization's identifier type, e.g. CBE or NIHII-HOSPITAL (see `ehcert org-types`).")
    var organizationType: String

    @Option(name: .customLong("org-id"), help: "The organization's identifier, e.g. its CBE number, digits only.")
    var organizationID: String

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
        guard !organizationType.isEmpty, !organizationID.isEmpty else { throw ValidationError("--org-type and --org-id must not be empty") }
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        do {
            let directory = OrganizationDirectory(endpoints: connection.endpoints!,
                                                  settings: FlowSettings(connection: try connection.connectionOptions()))
            let ids = try await directory.existingApplicationIDs(organizationType: organizationType, identifier: organizationID)
            if json {
                JSONOutput.print(JSONOutput.ApplicationIDs(ids))
            } else {
                print(OrganizationPrinter(terminal: .current).text(ids))
            }
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
