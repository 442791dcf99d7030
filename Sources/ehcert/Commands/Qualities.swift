import ArgumentParser
import CertManagerKit
import Foundation

struct Qualities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the platform lets you request: a personal certificate, and for which organizations.",
        discussion: """
        Asks getActorQualities (cookbook 4.3.4 steps 1-2), signed with your eID's Authentication key: \
        whether you have a health-care quality (needed for a personal certificate), and the \
        organizations you may manage certificates for, with the --org-type and --org-id that \
        `ehcert create` takes. An organization that is not listed can still be asked for with \
        --org-name, but then an operator of the platform validates the request by hand.
        """)

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup

    @Option(help: ArgumentHelp("Organization names in this language first: en, fr, nl or de.", valueName: "LANGUAGE"))
    var language: String = "en"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        do {
            let qualities = try await ActorQualities.read(eID: try eID.deferredKeySource(), endpoints: connection.endpoints!,
                                                          settings: FlowSettings(connection: try connection.connectionOptions()))
            if json {
                JSONOutput.print(qualities)
                return
            }
            let languages = [language, "en", "fr", "nl", "de"]
            print("\(qualities.holderName) (SSIN \(qualities.ssin))")
            print(qualities.naturalPersonAuthorization
                  ? "  personal certificate: allowed (health-care quality found)"
                  : "  personal certificate: not allowed (no health-care quality found)")
            if qualities.organizations.isEmpty {
                print("  organizations: none")
            } else {
                print("  organizations you may manage:")
                for organization in qualities.organizations {
                    print("    --org-type \(organization.type) --org-id \(organization.identifier)  \(organization.name(preferring: languages))")
                }
            }
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
