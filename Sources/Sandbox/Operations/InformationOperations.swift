import Foundation
import Generated
import Security
import SOAPRuntime
import X509

/// getCertificateInfoForAuthenticationCertificate and getCertificateInfoForCitizen.
extension SandboxEngine {
    func certificateInfo(_ stored: StoredCertificate, at now: Date) throws -> CertificateInfoType {
        var details: CertificateDetailsType?
        var replaceable = false
        var replacementStart: XSDateTime?
        var status = CertificateStatusType(rawValue: stored.status.rawValue) ?? .inProgress
        var etkStatus = ETKStatusType(rawValue: stored.etkStatus.rawValue) ?? .notRequested
        if let der = stored.certificate {
            let certificate = try Certificate(derEncoded: Array(der))
            let start = certificate.notValidAfter.addingTimeInterval(-configuration.replacementPeriod)
            replacementStart = XSDateTime(start)
            if stored.status == .validActive, now > certificate.notValidAfter {
                status = .expired
                // An ETK expires with its authentication certificate.
                if etkStatus == .validActive || etkStatus == .waitForActivation || etkStatus == .inRequest { etkStatus = .expired }
            }
            replaceable = status == .validActive && now >= start
            details = CertificateDetailsType(serialNumber: String(describing: certificate.serialNumber), dn: stored.dn,
                                             issuerDN: String(describing: certificate.issuer),
                                             validNotBefore: XSDateTime(certificate.notValidBefore),
                                             validNotAfter: XSDateTime(certificate.notValidAfter))
        }
        let actor = ActorType(id: [IdType(type: stored.identifierType, value: stored.identifierValue)],
                              firstName: stored.actorFirstNames, name: stored.actorName)
        return CertificateInfoType(
            requestedDate: XSDateTime(stored.requestedAt),
            publicKeyIdentifier: try PublicKeyIdentifier(xmlText: stored.publicKeyIdentifier),
            certificateEntity: CertificateEntityType(entityType: stored.isPerson ? .naturalPerson : .organization,
                                                     certificateIdentifier: CertificateIdentifierType(actor: actor, applicationId: stored.applicationID)),
            authenticationCertificateStatus: status,
            etkStatus: etkStatus,
            automaticallyValidated: stored.automaticallyValidated,
            authenticationCertificateDetails: details,
            revocable: status == .validActive || status == .inProgress,
            replaceable: replaceable,
            replacementPeriodStartDate: replacementStart,
            contactData: stored.contactData.contactData,
            baseServiceUsage: stored.baseServiceUsage)
    }

    func getCertificateInfoForAuthenticationCertificate(_ request: GetCertificateInfoForAuthenticationCertificateRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetCertificateInfoForAuthenticationCertificateResponseType {
        guard let certificate = signer?.certificate else {
            throw EHealthFailure("NO_VALID_AUTH_CERT_FOUND", "the request is not signed with an eHealth authentication certificate")
        }
        let key = try PublicKeyIdentifier(certificate: certificate).hex
        let now = self.now
        let info = try await store.transaction { state in
            guard let stored = try state.certificate(key) else {
                throw EHealthFailure("AUTH_CERT_NOT_FOUND", "the signing certificate \(certificate.subject) is not known")
            }
            return try self.certificateInfo(stored, at: now)
        }
        return GetCertificateInfoForAuthenticationCertificateResponseType(
            id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
            status: EHealthFailure.success, certificateInfo: info)
    }

    func getCertificateInfoForCitizen(_ request: GetCertificateInfoForCitizenRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetCertificateInfoForCitizenResponseType {
        guard let ssin = signer?.ssin else {
            throw EHealthFailure("SIGNATURE_KEY_NOT_ALLOWED", "the request must be signed with an eID Authentication key")
        }
        let now = self.now
        let infos = try await store.transaction { state in
            try state.certificates(managedBy: ssin).map { try self.certificateInfo($0, at: now) }
        }
        return GetCertificateInfoForCitizenResponseType(
            id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
            status: EHealthFailure.success, certificateInfo: infos)
    }
}
