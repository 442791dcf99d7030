import ArgumentParser
import CertManagerKit
import Foundation

struct Renew: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Renew a keystore's certificate and ETK in their replacement window (cookbook 4.3.5).",
        discussion: """
        The platform allows a renewal in the last months before expiry (see `ehcert status`); before \
        that, this says from when. The new certificate has exactly the same DN; your eID signs as for \
        `create`. The new keystore goes next to the old one, protected by the same password, and also \
        keeps the old encryption keys, so that messages encrypted for the old ETK stay readable.

        The new ETK is not used by senders until you activate it: install the new keystore wherever \
        messages are decrypted, then run `ehcert activate NEW-KEYSTORE`. If the flow stops, \
        `ehcert resume` continues it.
        """)

    @Argument(help: "The keystore (.p12) whose certificate to renew.")
    var keystore: String

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Environment") var environmentGuard: EnvironmentGuardOptionGroup
    @OptionGroup(title: "Flow") var flow: FlowOptionGroup
    @OptionGroup(title: "Keystore") var keystoreFormat: KeystoreFormatOptionGroup

    @Option(name: .customLong("save-contract"), help: ArgumentHelp("Save the contract's HTML to this file.", valueName: "FILE"))
    var saveContract: String?

    @Flag(name: .customLong("accept-contract"), help: "Accept the contract without asking (for scripts, once you have read it).")
    var acceptContract = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let printer = FlowPrinter(json: flow.json)
        let runner = FlowRunner(printer: printer, json: flow.json)
        do {
            let endpoints = connection.endpoints!
            let keystorePassword = try password.read(new: false)
            let settings = FlowSettings(endpoints: endpoints, connection: try connection.connectionOptions(), polling: flow.polling,
                                        allowsOtherEnvironment: environmentGuard.force)
            let started = try await CertificateRenewal.start(keystore: URL(fileURLWithPath: keystore), password: keystorePassword,
                                                             endpoints: endpoints, settings: settings, workDirectory: flow.work,
                                                             keystoreFormat: keystoreFormat.format)
            printer.say("Renewal flow \(started.id) (\(endpoints)); resume it with `ehcert resume \(started.id)` if it stops.\n")
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
