import Foundation
import Generated
import Security
import SOAPRuntime

/// submitCSRForForeigner: a person with a BIS number and no Belgian eID submits a CSR; nothing is
/// certified until they open the validation page and confirm (the platform uses its IDP there).
extension SandboxEngine {
    func submitCSRForForeigner(_ request: SubmitCSRForForeignerRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> SubmitCSRForForeignerResponseType {
        guard let id = request.foreignPerson.id.first, id.type == "SSIN", let ssin = try? SSIN(id.value), ssin.isBIS else {
            throw EHealthFailure("CSR_INVALID_DN_INVALID", "a foreigner is identified by an Id of type SSIN holding a valid BIS number")
        }
        let csr: EHealthCertificateSigningRequest
        do {
            csr = try EHealthCertificateSigningRequest(derEncoded: request.csr)
        } catch let error as SecurityError {
            throw EHealthFailure(error.code.rawValue.hasPrefix("CSR") ? error.code.rawValue : "CSR_NOT_VALID", error.reason)
        }
        let name = ([request.foreignPerson.name] + request.foreignPerson.firstName).joined(separator: " ")
        let expected = try EHealthDistinguishedName.Builder().person(ssin: id.value).name(name).build()
        guard csr.subject == expected else {
            throw EHealthFailure("CSR_INVALID_DN_INVALID", "the CSR's subject must be \(expected)")
        }
        let key = try csr.publicKeyIdentifier.hex
        let token = UUID().uuidString.lowercased()
        let now = self.now
        let expires = now.addingTimeInterval(configuration.foreignerValidationPeriod)
        let subjectPublicKeyInfoHash = try PlatformVariations.subjectPublicKeyInfoHash(csr.request.publicKey)
        let deliverAt = now.addingTimeInterval(configuration.deliveryDelay)
        try await store.transaction { state in
            guard try state.certificate(key) == nil else {
                throw EHealthFailure("CSR_PUB_KEY_NOT_UNIQUE", "a request for this public key exists already")
            }
            try state.insert(StoredCertificate(
                publicKeyIdentifier: key, subjectPublicKeyInfoHash: subjectPublicKeyInfoHash, dn: expected.description,
                identifierType: "SSIN", identifierValue: id.value, applicationID: nil, actorFirstNames: request.foreignPerson.firstName,
                actorName: request.foreignPerson.name, isPerson: true, csr: request.csr, contactData: StoredContactData(request.contactData),
                baseServiceUsage: [], requestedAt: now, deliverAt: deliverAt, automaticallyValidated: false, approved: false,
                status: .inProgress), managers: [id.value])
            try state.insert(StoredForeignerSubmission(token: token, publicKeyIdentifier: key, expiresAt: expires, confirmed: false))
        }
        return SubmitCSRForForeignerResponseType(
            id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant, status: EHealthFailure.success,
            validationUrl: (publicBaseURL ?? "http://127.0.0.1") + "/foreigner/validate/" + token, expirationDate: XSDateTime(expires))
    }
}
