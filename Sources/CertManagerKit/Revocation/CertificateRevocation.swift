import Foundation
import Generated
import Security

/// Revokes a certificate (cookbook 4.3.6): the eID holder's list (getCertificateInfoForCitizen,
/// eID Authentication key), the certificate chosen by its PublicKeyIdentifier, a revocation
/// contract for a reason (generateRevocationContract), presented and explicitly accepted, and
/// revoke with that contract exactly as returned, signed with the eID Signature key.
public struct CertificateRevocation: Sendable {
    /// RevocationReasonType.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        case keyCompromise
        case affiliationChanged
        case superseded
        case cessationOfOperation

        /// For the person choosing one.
        public var explanation: String {
            switch self {
            case .keyCompromise: "the private key is, or may be, known to someone else"
            case .affiliationChanged: "the owner's name or affiliation changed"
            case .superseded: "the certificate was replaced by another one"
            case .cessationOfOperation: "the certificate is no longer needed (activity stopped)"
            }
        }
    }

    /// What the person is asked to accept before anything is signed.
    public struct Offer: Sendable, Equatable {
        public let certificate: CertificateStatus
        public let reason: Reason
        /// The revocation contract's DN, signer and texts.
        public let contract: ContractOffer
    }

    public typealias Reviewer = @Sendable (Offer) async throws -> ContractDecision

    public let endpoints: ServiceEndpoints
    public let settings: FlowSettings

    public init(endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings()) {
        self.endpoints = endpoints
        self.settings = settings
    }

    /// The certificates the eID holder may revoke.
    public func revocableCertificates(of eID: any EIDKeySource, progress: @escaping FlowProgress = { _ in }) async throws -> [CertificateStatus] {
        try await CertificateInformation(endpoints: endpoints, settings: settings).certificates(of: eID, progress: progress).filter(\.revocable)
    }

    /// Revokes the certificate `publicKeyIdentifier` of the eID holder's list, once `review` accepted.
    ///
    /// - Throws: `CertManagerError`: `CERTIFICATE_NOT_FOUND` when it is not in the list,
    ///   `CERTIFICATE_NOT_REVOCABLE` when it is no longer valid, `CONTRACT_DECLINED` (nothing signed).
    /// - Returns: the certificate as it was before revocation.
    public func revoke(_ publicKeyIdentifier: Security.PublicKeyIdentifier, reason: Reason, eID: any EIDKeySource,
                       review: @escaping Reviewer, progress: @escaping FlowProgress = { _ in }) async throws -> CertificateStatus {
        let certificates = try await CertificateInformation(endpoints: endpoints, settings: settings).certificates(of: eID, progress: progress)
        guard let certificate = certificates.first(where: { $0.publicKeyIdentifier == publicKeyIdentifier }) else {
            throw CertManagerError(.certificateNotFound, .invalidInput,
                                   reason: "you have or manage no certificate with the PublicKeyIdentifier \(publicKeyIdentifier.hex)",
                                   advice: "Choose one of `list` (" + certificates.filter(\.revocable).map(\.publicKeyIdentifier.hex).joined(separator: ", ") + ").")
        }
        guard certificate.revocable else {
            throw CertManagerError(.certificateNotRevocable, .refused,
                                   reason: "the certificate \(certificate.distinguishedName ?? publicKeyIdentifier.hex) is \(certificate.state.rawValue): it cannot be revoked",
                                   advice: "Nothing to do.")
        }
        let client = try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: settings.connection, retry: settings.retry,
                                        sleeper: settings.sleeper, progress: progress)
        let authentication: any SigningKey
        do { authentication = try await eID.authenticationKey() } catch { throw CertManagerError(error) }
        let signer = try EIDHolder(certificate: authentication.certificate)
        let identifier = try Generated.PublicKeyIdentifier(HexBinary(Data(publicKeyIdentifier.bytes)))
        let generated = try await client.call(.generateRevocationContract) {
            try await client.certRA.generateRevocationContract(GenerateRevocationContractRequestType(
                issueInstant: .now, publicKeyIdentifier: identifier,
                signer: ActorType(id: [IdType(type: "SSIN", value: signer.ssin)], firstName: signer.firstNames.isEmpty ? [] : [signer.firstNames],
                                  name: signer.lastName),
                revocationReason: RevocationReasonType(rawValue: reason.rawValue)!))
        }
        guard let contract = generated.contract else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "generateRevocationContract answered Success without a contract",
                                   advice: "Try again later.", operation: PlatformOperation.generateRevocationContract.qualifiedName)
        }
        let offer = Offer(certificate: certificate, reason: reason, contract: ContractOffer(
            distinguishedName: contract.dn, signerName: (contract.signer.firstName + [contract.signer.name]).joined(separator: " "),
            signerSSIN: contract.signer.id.first { $0.type == "SSIN" }?.value,
            texts: contract.text.value.map { ContractOffer.Text(language: $0.language.xmlText, html: $0.value) }))
        progress(.waitingForUser("read the revocation contract for \(contract.dn) (\(reason.rawValue)) and accept or decline it"))
        guard try await review(offer) == .accept else {
            throw CertManagerError(.contractDeclined, .cancelled, reason: "the revocation contract was declined; nothing was signed",
                                   advice: "The certificate stays valid.")
        }
        let signatureKey: any SigningKey
        do { signatureKey = try await eID.signatureKey() } catch { throw CertManagerError(error) }
        // The contract goes back exactly as generateRevocationContract returned it.
        let request = try await client.sign(
            RevokeRequestType(issueInstant: .now, publicKeyIdentifier: identifier, contract: contract, signature: .placeholder), with: signatureKey)
        _ = try await client.call(.revoke) { try await client.certRA.revoke(request) }
        progress(.notice("the certificate \(contract.dn) (\(publicKeyIdentifier.hex)) is revoked: \(reason.rawValue)"))
        return certificate
    }
}

extension CertManagerError.Code {
    /// No certificate with that PublicKeyIdentifier in the eID holder's list.
    public static let certificateNotFound = Self("CERTIFICATE_NOT_FOUND")
    /// The certificate is no longer valid, so it cannot be revoked.
    public static let certificateNotRevocable = Self("CERTIFICATE_NOT_REVOCABLE")
}
