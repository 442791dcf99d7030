import ArgumentParser
import CertManagerKit
import Foundation
import Security

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke one of your certificates (cookbook 4.3.6).",
        discussion: """
        Lists the certificates you have or manage (your eID's Authentication key signs the \
        question), takes the one with --public-key-identifier (see `ehcert list`; without it, the \
        only revocable one), shows the revocation contract for the reason given, and after you \
        accepted it, revokes the certificate with your eID's Signature key. A revoked certificate and \
        its ETK cannot be used again.

        Reasons: keyCompromise (the key may be known to someone else), affiliationChanged, \
        superseded (replaced by another certificate), cessationOfOperation (no longer needed).
        """)

    @Option(name: .customLong("public-key-identifier"), help: ArgumentHelp("The certificate to revoke, as `ehcert list` shows it.", valueName: "HEX"))
    var publicKeyIdentifier: String?

    @Option(help: "Why: keyCompromise, affiliationChanged, superseded or cessationOfOperation.")
    var reason: CertificateRevocation.Reason

    @OptionGroup(title: "Service") var connection: ConnectionOptionGroup
    @OptionGroup(title: "eID") var eID: EIDOptionGroup

    @Option(name: .customLong("save-contract"), help: ArgumentHelp("Save the revocation contract's HTML to this file.", valueName: "FILE"))
    var saveContract: String?

    @Flag(name: .customLong("accept-contract"), help: "Accept the revocation contract without asking (for scripts, once you have read it).")
    var acceptContract = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        try connection.requireEndpoints()
        if let publicKeyIdentifier, (try? PublicKeyIdentifier(hex: publicKeyIdentifier)) == nil {
            throw ValidationError("\(publicKeyIdentifier) is not a PublicKeyIdentifier (hexadecimal, see `ehcert list`)")
        }
    }

    func run() async throws {
        let printer = FlowPrinter(json: json)
        let runner = FlowRunner(printer: printer, json: json)
        do {
            let revocation = CertificateRevocation(endpoints: connection.endpoints!, settings: FlowSettings(connection: try connection.connectionOptions()))
            let keys = try eID.deferredKeySource()
            let identifier: PublicKeyIdentifier
            if let publicKeyIdentifier {
                identifier = try PublicKeyIdentifier(hex: publicKeyIdentifier)
            } else {
                let revocable = try await revocation.revocableCertificates(of: keys)
                guard revocable.count == 1, let only = revocable.first else {
                    throw ValidationError(revocable.isEmpty
                        ? "you have no certificate that can be revoked"
                        : "you have several revocable certificates; choose one with --public-key-identifier: "
                          + revocable.map { "\($0.publicKeyIdentifier.hex) (\($0.distinguishedName ?? $0.owner))" }.joined(separator: ", "))
                }
                identifier = only.publicKeyIdentifier
            }
            let presenter = ContractPresenter(mode: acceptContract ? .acceptedBeforehand : .ask,
                                              saveHTMLTo: saveContract.map { URL(fileURLWithPath: $0) }, maximumLines: nil,
                                              quiet: json && acceptContract, terminal: .current,
                                              question: "Do you accept this contract and revoke the certificate with your eID?")
            let quiet = json
            let revoked = try await revocation.revoke(identifier, reason: reason, eID: keys, review: { offer in
                if !quiet {
                    print("Revoking \(offer.certificate.distinguishedName ?? offer.certificate.owner), reason \(offer.reason.rawValue): \(offer.reason.explanation)")
                }
                return try await presenter.review(offer.contract)
            }, progress: { printer.handle($0) })
            // A revoked certificate's keys have no purpose left: finished flows' copies go.
            try LeftoverSecretsNotice.workDirectory.removeSecretsOfFinishedFlows { $0.publicKeyIdentifier?.lowercased() == identifier.hex.lowercased() }
            if json {
                JSONOutput.print(["publicKeyIdentifier": identifier.hex, "distinguishedName": revoked.distinguishedName ?? revoked.owner,
                                  "reason": reason.rawValue, "status": "REVOKED"])
            }
        } catch let error as CertManagerError {
            throw runner.report(error, flowID: nil)
        }
    }
}

extension CertificateRevocation.Reason: ExpressibleByArgument {}
