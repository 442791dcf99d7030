import ArgumentParser
import CertManagerKit
import Foundation

struct OrganizationTypes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org-types",
        abstract: "List the organization types the platform accepts, with the form of their identifiers.",
        discussion: """
        Asks getGenericOrganizationTypes (cookbook 4.3.4 step 3). For each type, e.g. CBE, \
        NIHII-HOSPITAL or NIHII-PHARMACY: its name, the regular expression its identifier must match \
        and the check-digit algorithm it must pass. `ehcert create --org-type TYPE --org-id ID` uses \
        these. No eID is needed: the operation is not signed.
        """)

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup

    @Option(help: ArgumentHelp("Names in this language first: en, fr, nl or de.", valueName: "LANGUAGE"))
    var language: String = "en"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        do {
            let directory = OrganizationDirectory(endpoints: connection.endpoints!,
                                                  settings: FlowSettings(connection: try connection.connectionOptions()))
            let rules = try await directory.organizationTypes()
            let printer = OrganizationPrinter(terminal: .current, languages: [language, "en", "fr", "nl"])
            if json {
                JSONOutput.print(rules.map(JSONOutput.OrganizationType.init))
            } else {
                print(printer.text(rules))
            }
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
