import Foundation
import Generated
import Security
import SOAPRuntime

/// revoke: signed with the eID Signature key of a person allowed to manage the certificate, with
/// the revocation contract exactly as generateRevocationContract returned it.
extension SandboxEngine {
    func revokeCertificate(_ request: RevokeRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> RevokeResponseType {
        let key = request.publicKeyIdentifier.value.xmlText
        try await store.transaction { state in
            try Self.checkRevocationContractUnmodified(request.contract, in: state)
            guard let ssin = signer?.ssin, request.contract.signer.id.first?.value == ssin else {
                throw EHealthFailure("SIGNER_IS_NOT_THE_CONTRACT_SIGNER", "the revocation must be signed with the eID of the contract's Signer")
            }
            guard var stored = try state.certificate(key), stored.dn == request.contract.dn else {
                throw EHealthFailure("AUTH_CERT_NOT_FOUND", "no certificate \(key) for \(request.contract.dn)")
            }
            guard try state.isManager(ssin, of: stored.publicKeyIdentifier) else {
                throw EHealthFailure("SIGNER_NOT_ALLOWED_TO_REVOKE", "\(ssin) may not revoke the certificate of \(stored.dn)")
            }
            guard stored.status == .validActive || stored.status == .inProgress else {
                throw EHealthFailure("CERTIFICATE_NOT_REVOCABLE", "the certificate of \(stored.dn) is \(stored.status.rawValue) and cannot be revoked")
            }
            if stored.etkStatus != .notRequested { stored.etkStatus = .revoked }
            stored.status = .revoked
            try state.save(stored)
        }
        return RevokeResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                  status: EHealthFailure.success)
    }
}
