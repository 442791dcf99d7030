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
    static func registeredCertificate(of signer: Signer?, in state: StateTransaction, at now: Date) throws -> StoredCertificate {
        guard let certificate = signer?.certificate else {
            throw EHealthFailure("NO_VALID_AUTH_CERT_FOUND", "the request is not signed with an eHealth authentication certificate")
        }
        let key = try PublicKeyIdentifier(certificate: certificate).hex
        guard let stored = try state.certificate(key), let der = stored.certificate else {
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
        let now = self.now
        let challenge: Data = try await store.transaction { state in
            var stored = try Self.registeredCertificate(of: signer, in: state, at: now)
            if stored.etkStatus == .validActive || stored.etkStatus == .waitForActivation {
                throw EHealthFailure("VALID_ETK_ALREADY_EXISTS", "an ETK exists already for \(stored.dn) and this authentication certificate")
            }
            let issued: Challenge.Issued
            do {
                issued = try Challenge.issue(forPublicEncryptionKey: request.publicEncryptionKey)
            } catch let error as SecurityError {
                throw EHealthFailure("PUBLIC_KEY_NOT_VALID", error.reason)
            }
            stored.pendingEncryptionKey = request.publicEncryptionKey
            stored.pendingChallengeSerial = Data(issued.challenge.serialNumber.bytes)
            stored.etkStatus = .inRequest
            try state.save(stored)
            return Data(issued.bytes)
        }
        return StartETKRegistrationResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                status: EHealthFailure.success, challenge: challenge)
    }

    func completeETKRegistration(_ request: CompleteETKRegistrationRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> CompleteETKRegistrationResponseType {
        let now = self.now
        let world = self.world
        let (etk, toBeActivated): (Data, Bool) = try await store.transaction { state in
            var stored = try Self.registeredCertificate(of: signer, in: state, at: now)
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
            stored.etk = Data(etk.derEncoded)
            stored.etkStatus = toBeActivated ? .waitForActivation : .validActive
            stored.pendingEncryptionKey = nil
            stored.pendingChallengeSerial = nil
            try state.save(stored)
            return (Data(etk.derEncoded), toBeActivated)
        }
        return CompleteETKRegistrationResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                   status: EHealthFailure.success, etk: etk, toBeActivated: toBeActivated)
    }

    func activateETK(_ request: ActivateETKRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> ActivateETKResponseType {
        let now = self.now
        try await store.transaction { state in
            var stored = try Self.registeredCertificate(of: signer, in: state, at: now)
            switch stored.etkStatus {
            case .validActive:
                throw EHealthFailure("RENEW_ACTIVATION_ETK_ALREADY_ACTIF", "the ETK of \(stored.dn) is already active")
            case .waitForActivation:
                stored.etkStatus = .validActive
                try state.save(stored)
                // The replaced ETK is no longer handed out.
                if let old = stored.replaces, var replaced = try state.certificate(old) {
                    replaced.etkStatus = .expired
                    try state.save(replaced)
                }
            default:
                throw EHealthFailure("NO_ETK_TO_ACTIVATE", "there is no replacement ETK waiting for activation for \(stored.dn)")
            }
        }
        return ActivateETKResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                       status: EHealthFailure.success)
    }
}
