import ArgumentParser
import CertManagerKit
import Foundation

struct Activate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Activate a renewed ETK, so that senders encrypt for it (activateETK).",
        discussion: """
        After `ehcert renew` the new ETK waits for activation while senders keep using the old one. \
        Install the new keystore wherever messages are decrypted first (it keeps the old encryption \
        keys), then activate it. Signed with the new keystore's authentication key. Activating an \
        ETK that is already active changes nothing and is reported as such.
        """)

    @Argument(help: "The new keystore (.p12), made by `ehcert renew`.")
    var keystore: String

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "Keystore password") var password: KeystorePasswordOptionGroup
    @OptionGroup(title: "Environment") var environmentGuard: EnvironmentGuardOptionGroup

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
    }

    func run() async throws {
        let runner = FlowRunner(printer: FlowPrinter(json: json), json: json)
        do {
            let activation = ETKActivation(endpoints: connection.endpoints!, settings: FlowSettings(connection: try connection.connectionOptions(), allowsOtherEnvironment: environmentGuard.force))
            let outcome = try await activation.activate(keystore: URL(fileURLWithPath: keystore), password: try password.read(new: false))
            if json {
                JSONOutput.print(["keystore": keystore, "outcome": outcome == .activated ? "activated" : "alreadyActive"])
            } else if outcome == .activated {
                print(Terminal.current.styled("Activated.", .green) + " The platform now hands out the new ETK of \(keystore).")
            } else {
                print("RENEW_ACTIVATION_ETK_ALREADY_ACTIF: the ETK of \(keystore) is already active; nothing changed.")
            }
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}
