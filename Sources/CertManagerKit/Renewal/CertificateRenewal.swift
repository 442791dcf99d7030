import Foundation
import Security
import X509

/// Renews a keystore's certificate and ETK (cookbook 4.3.5): once the platform says the
/// certificate is `Replaceable`, the create-new-ETK flow runs again for exactly the same DN. The
/// platform then answers generateCertificate with ReplacesCertificate, and the new ETK comes back
/// `ToBeActivated` (activate it with ``ETKActivation``). The new keystore, next to the old one,
/// keeps the old encryption keys under their serial aliases.
///
/// The returned ``CreateETKFlow`` is a normal flow: it is journalled, resumable, and run with the
/// eID (the Authentication key reads the qualities, the Signature key signs the request).
public enum CertificateRenewal {
    /// Checks that `keystore`'s certificate may be renewed now and records the renewal flow.
    /// Nothing is signed with the eID yet.
    ///
    /// - Throws: `CertManagerError` with code `RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD`
    ///   (saying from when) when the window is not open, or `CERTIFICATE_NOT_RENEWABLE` when the
    ///   certificate is expired or revoked (request a new one instead).
    /// `keystoreFormat` nil keeps the replaced keystore's protection.
    public static func start(keystore file: URL, password: String, endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings(),
                             workDirectory: WorkDirectory = .default, keystoreFormat: KeystoreFormat? = nil,
                             now: Date = Date()) async throws -> CreateETKFlow {
        let certificate: Certificate
        do {
            let keystore = try Keystore(contentsOf: file, password: password)
            guard let authentication = keystore[Keystore.authenticationAlias]?.certificate else {
                throw CertManagerError(.init(SecurityError.Code.keystoreAliasNotFound.rawValue), .invalidInput,
                                       reason: "\(file.path) holds no eHealth `authentication` certificate",
                                       advice: "Give the keystore of the certificate to renew.")
            }
            certificate = authentication
        } catch {
            throw CertManagerError(error)
        }
        // An expired key cannot sign the status request (the platform refuses the signature, with
        // no published code), and an expired certificate cannot be renewed anyway (cookbook 4.3.5).
        if certificate.notValidAfter <= now {
            throw CertManagerError(.certificateNotRenewable, .refused,
                                   reason: "the certificate expired on \(CertificateStatus.day(certificate.notValidAfter)): an expired certificate cannot be renewed",
                                   advice: "Request a new certificate instead (`create`).")
        }
        let status = try await CertificateInformation(endpoints: endpoints, settings: settings).status(ofKeystore: file, password: password, now: now)
        switch status.renewal(at: now) {
        case .open:
            break
        case .notYet(let from):
            throw CertManagerError(.renewalNotYetPossible, .refused,
                                   reason: "the certificate is not in its replacement period yet: it can be renewed from \(CertificateStatus.day(from))",
                                   advice: "Run `renew` again from \(CertificateStatus.day(from)); `ehcert check` can remind you.")
        case .requestAnew:
            throw CertManagerError(.certificateNotRenewable, .refused,
                                   reason: "the certificate is \(status.state.rawValue)\(status.notAfter.map { " (valid until \(CertificateStatus.day($0)))" } ?? ""): it cannot be renewed",
                                   advice: "Request a new certificate instead (`create`).")
        case .unknown:
            throw CertManagerError(.renewalNotYetPossible, .refused, reason: "the platform does not say the certificate is replaceable",
                                   advice: "Check `status`; renew once the replacement window is open.")
        }
        let name: EHealthDistinguishedName
        do { name = try EHealthDistinguishedName(certificate.subject) } catch { throw CertManagerError(error) }
        let owner: CreateETKRequest.Owner = name.isPerson
            ? .naturalPerson
            : .organization(.init(type: name.identifier.type.rawValue, identifier: name.identifier.value,
                                  name: status.ownerName.isEmpty ? nil : status.ownerName, applicationID: name.applicationID?.rawValue))
        guard let contact = status.contact else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the certificate's status carries no ContactData",
                                   advice: "Report it with a trace (--trace-dir).")
        }
        // The base services told about the old certificate are told about its successor.
        let request = CreateETKRequest(owner: owner, contact: contact, keystoreDirectory: file.deletingLastPathComponent(),
                                       baseServiceUsage: status.baseServiceUsage,
                                       replacing: .init(keystoreFile: file, distinguishedName: name.description,
                                                        publicKeyIdentifier: status.publicKeyIdentifier.hex),
                                       keystoreFormat: keystoreFormat)
        return try CreateETKFlow.start(request, endpoints: endpoints, workDirectory: workDirectory, now: now)
    }
}

extension CertManagerError.Code {
    /// The certificate is not in its replacement period yet (the platform's code for a too-early renewal).
    public static let renewalNotYetPossible = Self("RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD")
    /// Expired, revoked or refused: only a new certificate can be requested.
    public static let certificateNotRenewable = Self("CERTIFICATE_NOT_RENEWABLE")
    /// A keystore whose certificate has expired: its key cannot sign any request any more.
    public static let certificateExpired = Self("CERTIFICATE_EXPIRED")
}
