import ArgumentParser
import CertManagerKit
import Foundation

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Request a new eHealth certificate and ETK (cookbook 4.3.4).",
        discussion: """
        For yourself (a health-care professional) by default, or for an organization you manage with \
        --org-type and --org-id (and optionally --app-id). Your eID signs twice: the Authentication key \
        to read your qualities, the Signature key to sign the certificate request after you accepted \
        the contract. The keystore password is asked for (twice) unless given by --password-env or \
        --password-file.

        If the certificate is not delivered while waiting (manual validation can take days), the flow \
        stops with exit code 3: run `ehcert resume` later. Nothing is lost on Ctrl-C, a crash or a \
        network failure either.
        """)

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Flow") var flow: FlowOptionGroup
    @OptionGroup(title: "Keystore") var keystoreFormat: KeystoreFormatOptionGroup

    @Option(name: .customLong("org-type"), help: "The organization's identifier type, e.g. CBE or NIHII-HOSPITAL (see getGenericOrganizationTypes).")
    var organizationType: String?

    @Option(name: .customLong("org-id"), help: "The organization's identifier, e.g. its CBE number.")
    var organizationID: String?

    @Option(name: .customLong("org-name"), help: "The organization's name (needed when you are not authorised for it at the platform).")
    var organizationName: String?

    @Option(name: .customLong("app-id"), help: "An application id, to hold several certificates for one organization ([0-9A-Z-_]{1,30}).")
    var applicationID: String?

    @Option(help: "Your e-mail address: the platform writes there about this certificate.")
    var email: String

    @Option(help: "Your phone number (digits and spaces, optionally after a leading +).")
    var phone: String

    @Option(name: .customLong("general-email"), help: "A shared mailbox the platform may also write to (optional).")
    var generalEmail: String?

    @Option(name: .customLong("general-phone"), help: "A shared phone number (optional).")
    var generalPhone: String?

    @Option(name: .customLong("base-service-usage"), help: ArgumentHelp(
        "An eHealth base service to tell about the new certificate: \(CreateETKRequest.baseServiceUsages.joined(separator: ", ")) (repeatable).",
        valueName: "usage"))
    var baseServiceUsages: [String] = []

    @Option(name: .customLong("keystore-dir"), help: ArgumentHelp("Where the keystore goes (default: the configuration's keystore-dir, else ~/ehealth/keystore).", valueName: "DIR"))
    var keystoreDirectory: String?

    @Option(name: .customLong("save-contract"), help: ArgumentHelp("Save the contract's HTML to this file.", valueName: "FILE"))
    var saveContract: String?

    @Flag(name: .customLong("accept-contract"), help: "Accept the contract without asking (for scripts, once you have read it).")
    var acceptContract = false

    func validate() throws {
        guard connection.endpoints != nil else {
            throw ValidationError("choose the environment with --env (sandbox, acceptance, production) or --certra-url/--etkra-url")
        }
        if (organizationType == nil) != (organizationID == nil) {
            throw ValidationError("give --org-type and --org-id together")
        }
        if organizationType == nil, organizationName != nil || applicationID != nil {
            throw ValidationError("--org-name and --app-id are for organizations (--org-type, --org-id)")
        }
        // The connector's checks, before the password prompt and long before anything is signed.
        do {
            try request.validate()
        } catch let error as CertManagerError {
            throw ValidationError("\(error.reason). \(error.advice)")
        }
    }

    var request: CreateETKRequest {
        let owner: CreateETKRequest.Owner = organizationType.map {
            .organization(.init(type: $0, identifier: organizationID ?? "", name: organizationName, applicationID: applicationID))
        } ?? .naturalPerson
        return CreateETKRequest(owner: owner, contact: .init(email: email, phone: phone, generalEmail: generalEmail, generalPhone: generalPhone),
                                keystoreDirectory: keystoreDirectory.map { URL(fileURLWithPath: $0) } ?? ActiveConfiguration.keystoreDirectory,
                                baseServiceUsage: baseServiceUsages, keystoreFormat: keystoreFormat.format)
    }

    func run() async throws {
        let printer = FlowPrinter(json: flow.json)
        let runner = FlowRunner(printer: printer, json: flow.json)
        do {
            let request = self.request
            let keystorePassword = try password.read(new: true)
            let endpoints = connection.endpoints!
            let started = try CreateETKFlow.start(request, endpoints: endpoints, workDirectory: flow.work)
            printer.say("Flow \(started.id) (\(endpoints)); resume it with `ehcert resume \(started.id)` if it stops.\n")
            let settings = FlowSettings(endpoints: endpoints, connection: try connection.connectionOptions(defaultFrom: email), polling: flow.polling)
            let contract = ContractPresenter(mode: acceptContract ? .acceptedBeforehand : .ask,
                                             saveHTMLTo: saveContract.map { URL(fileURLWithPath: $0) }, maximumLines: nil,
                                             quiet: flow.json && acceptContract, terminal: .current)
            let result = try await runner.run(started, eID: try eID.deferredKeySource(), keystorePassword: keystorePassword,
                                              settings: settings, contract: contract)
            runner.finish(result, report: try? KeystoreReport.read(file: result.keystoreFile, password: keystorePassword))
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
