import _CryptoExtras
import Foundation
import Generated
import Security
import SOAPRuntime
import X509

/// startETKRegistration, completeETKRegistration, activateETK: the challenge, the encryption
/// certificate rules, the ETK, and replacement ETKs waiting for activation.
extension SandboxEngine {
    /// The stored certificate the eHealth signer's certificate is, checked as the ETK rules require.
    func registeredCertificate(of signer: Signer?) async throws -> StoredCertificate {
        guard let certificate = signer?.certificate else {
            throw EHealthFailure("NO_VALID_AUTH_CERT_FOUND", "the request is not signed with an eHealth authentication certificate")
        }
        let key = try PublicKeyIdentifier(certificate: certificate).hex
        guard let stored = try await store.current().certificates[key], let der = stored.certificate else {
            throw EHealthFailure("ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA", "the signing certificate \(certificate.subject) was not issued by this eHealth CA")
        }
        guard der == Data(try Self.der(certificate)) else {
            throw EHealthFailure("AUTH_CERT_NOT_VALID", "the signing certificate is not identical to the one registered for \(stored.dn)")
        }
        switch stored.status {
        case .revoked: throw EHealthFailure("ETK_REQUESTED_FOR_AUTH_CERT_REVOKED", "the authentication certificate \(stored.dn) is revoked")
        case .expired: throw EHealthFailure("ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", "the authentication certificate \(stored.dn) expired")
        default: break
        }
        if now < certificate.notValidBefore {
            throw EHealthFailure("ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID", "the authentication certificate is valid from \(certificate.notValidBefore)")
        }
        if now > certificate.notValidAfter {
            throw EHealthFailure("ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED", "the authentication certificate expired on \(certificate.notValidAfter)")
        }
        return stored
    }

    func startETKRegistration(_ request: StartETKRegistrationRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> StartETKRegistrationResponseType {
        let stored = try await registeredCertificate(of: signer)
        if stored.etkStatus == .validActive || stored.etkStatus == .waitForActivation {
            throw EHealthFailure("VALID_ETK_ALREADY_EXISTS", "an ETK exists already for \(stored.dn) and this authentication certificate")
        }
        let issued: Challenge.Issued
        do {
            issued = try Challenge.issue(forPublicEncryptionKey: request.publicEncryptionKey)
        } catch let error as SecurityError {
            throw EHealthFailure("PUBLIC_KEY_NOT_VALID", error.reason)
        }
        try await store.update { state in
            state.certificates[stored.publicKeyIdentifier]?.pendingEncryptionKey = request.publicEncryptionKey
            state.certificates[stored.publicKeyIdentifier]?.pendingChallengeSerial = Data(issued.challenge.serialNumber.bytes)
            state.certificates[stored.publicKeyIdentifier]?.etkStatus = .inRequest
        }
        return StartETKRegistrationResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                status: EHealthFailure.success, challenge: Data(issued.bytes))
    }

    func completeETKRegistration(_ request: CompleteETKRegistrationRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> CompleteETKRegistrationResponseType {
        let stored = try await registeredCertificate(of: signer)
        guard let toBeRegistered = request.toBeRegistered else {
            throw EHealthFailure("AUTH_CERT_NOT_FOUND", "the request has no ToBeRegistered certificate")
        }
        guard let publicKeyDER = stored.pendingEncryptionKey, let serial = stored.pendingChallengeSerial else {
            throw EHealthFailure("PUBLIC_KEY_NOT_YET_REGISTERED", "no encryption key was registered for \(stored.dn): call startETKRegistration first")
        }
        guard let authenticationDER = stored.certificate else {
            throw EHealthFailure("NO_VALID_AUTH_CERT_FOUND", "the authentication certificate of \(stored.dn) is not delivered")
        }
        let authentication = try Certificate(derEncoded: Array(authenticationDER))
        let etk: ETK
        do {
            let encryptionCertificate = try EncryptionCertificate(derEncoded: toBeRegistered)
            let registered = try Certificate.PublicKey(derEncoded: Array(publicKeyDER))
            try encryptionCertificate.check(serialNumber: Certificate.SerialNumber(bytes: Array(serial)), authenticationCertificate: authentication,
                                            registeredPublicKey: registered, at: now)
            etk = try ETK(encryptionCertificate: encryptionCertificate, etkRA: world.pki.etkRA,
                          authenticationChain: [authentication] + world.pki.eHealthCA.chainBelowRoot + [world.pki.eHealthRoot.certificate])
        } catch let error as SecurityError {
            throw EHealthFailure(error.code.rawValue, error.reason)
        }
        let toBeActivated = stored.replaces != nil
        try await store.update { state in
            state.certificates[stored.publicKeyIdentifier]?.etk = Data(etk.derEncoded)
            state.certificates[stored.publicKeyIdentifier]?.etkStatus = toBeActivated ? .waitForActivation : .validActive
            state.certificates[stored.publicKeyIdentifier]?.pendingEncryptionKey = nil
            state.certificates[stored.publicKeyIdentifier]?.pendingChallengeSerial = nil
        }
        return CompleteETKRegistrationResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                   status: EHealthFailure.success, etk: Data(etk.derEncoded), toBeActivated: toBeActivated)
    }

    func activateETK(_ request: ActivateETKRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> ActivateETKResponseType {
        let stored = try await registeredCertificate(of: signer)
        switch stored.etkStatus {
        case .validActive:
            throw EHealthFailure("RENEW_ACTIVATION_ETK_ALREADY_ACTIF", "the ETK of \(stored.dn) is already active")
        case .waitForActivation:
            try await store.update { state in
                state.certificates[stored.publicKeyIdentifier]?.etkStatus = .validActive
                // The replaced ETK is no longer handed out.
                if let old = stored.replaces { state.certificates[old]?.etkStatus = .expired }
            }
        default:
            throw EHealthFailure("NO_ETK_TO_ACTIVATE", "there is no replacement ETK waiting for activation for \(stored.dn)")
        }
        return ActivateETKResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                       status: EHealthFailure.success)
    }
}
