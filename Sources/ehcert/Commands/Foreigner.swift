import ArgumentParser
import CertManagerKit
import Foundation
import Security

struct Foreigner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Request an eHealth certificate and ETK for a foreigner without a Belgian eID (cookbook 4.3.7).",
        discussion: """
        For a person with a BIS number. No eID signs: the request is submitted with a new key (stored \
        first, protected by the keystore password), and the platform answers with a validation page. \
        The command stops there (exit code 3) and prints the page's address: the person opens it, \
        signs in with the eHealth IDP and confirms before it expires. Then `ehcert resume` fetches \
        the certificate and registers the ETK.
        """)

    @Option(help: "The person's BIS number (11 digits).")
    var bis: String

    @Option(name: .customLong("first-name"), help: "A first name (repeat for several).")
    var firstNames: [String] = []

    @Option(name: .customLong("last-name"), help: "The last name.")
    var lastName: String

    @Option(help: "The person's e-mail address: the platform writes there about this certificate.")
    var email: String

    @Option(help: "The person's phone number.")
    var phone: String

    @Option(name: .customLong("keystore-dir"), help: ArgumentHelp("Where the keystore goes (default: the configuration's keystore-dir, else ~/ehealth/keystore).", valueName: "DIR"))
    var keystoreDirectory: String?

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Flow") var flow: FlowOptionGroup
    @OptionGroup(title: "Keystore") var keystoreFormat: KeystoreFormatOptionGroup

    func validate() throws {
        try connection.requireEndpoints()
        guard bis.count == 11, bis.allSatisfy(\.isNumber) else { throw ValidationError("--bis takes the 11 digits of a BIS number") }
    }

    func run() async throws {
        let printer = FlowPrinter(json: flow.json)
        let runner = FlowRunner(printer: printer, json: flow.json)
        var started: CreateETKFlow?
        do {
            let request = CreateETKRequest(owner: .foreigner(.init(bis: bis, firstNames: firstNames, lastName: lastName)),
                                           contact: .init(email: email, phone: phone),
                                           keystoreDirectory: keystoreDirectory.map { URL(fileURLWithPath: $0) } ?? ActiveConfiguration.keystoreDirectory,
                                           keystoreFormat: keystoreFormat.format)
            let keystorePassword = try password.read(new: true)
            let endpoints = connection.endpoints!
            let flow = try CreateETKFlow.start(request, endpoints: endpoints, workDirectory: self.flow.work)
            started = flow
            printer.say("Flow \(flow.id) (\(endpoints)) for a foreigner; continue it with `ehcert resume \(flow.id)`.\n")
            let settings = FlowSettings(endpoints: endpoints, connection: try connection.connectionOptions(defaultFrom: email), polling: self.flow.polling)
            let contract = ContractPresenter(mode: .acceptedBeforehand, saveHTMLTo: nil, maximumLines: nil, quiet: true, terminal: .current)
            let result = try await runner.run(flow, eID: NoEID(), keystorePassword: keystorePassword, settings: settings, contract: contract)
            runner.finish(result, report: try? KeystoreReport.read(file: result.keystoreFile, password: keystorePassword))
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: started?.id)
        } catch let exit as ExitCode where exit == ExitStatus.pending.exitCode {
            // Waiting for the person: the link is what matters now.
            // Waiting for the person: the link is what matters now (in --json, the failure's advice carries it).
            if !flow.json, let started, let link = await started.validationURL {
                let expires = await started.validationExpiresAt
                print("")
                print("The person must now open " + Terminal.current.styled(link.absoluteString, .bold)
                      + (expires.map { " before \(KeystorePrinter.format($0))" } ?? "") + ", sign in and confirm;")
                print("then run: ehcert resume \(started.id)")
            }
            throw exit
        }
    }

    /// A foreigner's flow never signs with an eID.
    struct NoEID: EIDKeySource {
        func authenticationKey() async throws -> any SigningKey { throw Self.error }
        func signatureKey() async throws -> any SigningKey { throw Self.error }
        static let error = CertManagerError(.eIDUnavailable, .configuration, reason: "a foreigner's flow uses no eID", advice: "")
    }
}
