import ArgumentParser
import CertManagerKit
import Foundation

struct ReleaseSamplesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-samples",
        abstract: "Write the eHealth request and answer samples the platform's release procedure asks for (cookbook 6.1.3).",
        discussion: """
        Before production access, the platform asks for "a sample of eHealth request and eHealth \
        answer" from your acceptance tests. This runs, once each, the calls that change nothing at \
        the platform: getGenericOrganizationTypes, getActorQualities and getCertificateInfoForCitizen \
        (signed with your eID's Authentication key), generateContract (nothing is signed or accepted), \
        getExistingApplicationIds and the organization's contract with --org-type/--org-id, and a \
        negative case (getCertificate for an unknown PublicKeyIdentifier). Every envelope is written \
        to --out as NNN-<operation>-request.xml / -response.xml, with index.md saying what each is \
        and what the platform answered. Certificate requests cannot be repeated for a sample: add \
        the trace of a run made with `ehcert create --trace-dir DIR` with --include-trace DIR.
        """)

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup

    @Option(help: ArgumentHelp("A new or empty folder for the samples and index.md.", valueName: "DIR"))
    var out: String

    @Option(help: "The e-mail address for the contract's contact data.")
    var email: String

    @Option(help: "The phone number for the contract's contact data (digits and spaces, optionally after a leading +).")
    var phone: String

    @Option(name: .customLong("org-type"), help: "Also the calls for this organization: its identifier type, e.g. CBE.")
    var organizationType: String?

    @Option(name: .customLong("org-id"), help: "The organization's identifier.")
    var organizationID: String?

    @Option(name: .customLong("org-name"), help: "The organization's name, when getActorQualities does not list it.")
    var organizationName: String?

    @Option(name: .customLong("include-trace"), help: ArgumentHelp("Add the exchanges of a run traced with --trace-dir (repeatable).", valueName: "DIR"))
    var includedTraces: [String] = []

    func validate() throws {
        try connection.requireEndpoints()
        if (organizationType == nil) != (organizationID == nil) {
            throw ValidationError("give --org-type and --org-id together")
        }
        if connection.traceDirectoryOption != nil {
            throw ValidationError("--trace-dir is not for release-samples: the samples are the trace, in --out")
        }
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: false), json: false)
        do {
            let endpoints = connection.endpoints!
            let options = try connection.connectionOptions(defaultFrom: email)
            let organization = organizationType.map {
                CreateETKRequest.Organization(type: $0, identifier: organizationID ?? "", name: organizationName)
            }
            let environment = connection.environment ?? endpoints.environment?.rawValue ?? "custom endpoints"
            let result = try await ReleaseSamples(endpoints: endpoints, settings: FlowSettings(endpoints: endpoints, connection: options))
                .write(to: URL(fileURLWithPath: out), environment: environment, eID: try eID.deferredKeySource(),
                       contact: .init(email: email, phone: phone), organization: organization,
                       includedTraces: includedTraces.map { URL(fileURLWithPath: $0) },
                       progress: { event in if case .notice(let text) = event { print(DisplayText.clean(text)) } })
            for sample in result.samples {
                print("  \(String(format: "%03d", sample.number)) \(sample.operation): \(sample.outcome)")
            }
            print("\(result.samples.count) exchanges and their index: \(result.index.path)")
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
