import _CryptoExtras
import Foundation
import Security
import X509

/// The eHealth issuing CA's revocation services, as the platform's CA runs them: a CRL at the
/// distribution point and an OCSP responder at the address its certificates name (both served
/// over HTTP by SandboxHTTP). A certificate revoked with `revoke` is listed on the CRL and
/// answered `revoked` by OCSP.
///
/// The sandbox's state records that a certificate was revoked, not when; both services give
/// the certificate's own start as its revocation date, so that every use of it is covered.
public enum RevocationPublication {
    /// The CRL's path on the sandbox's server (DER, `application/pkix-crl`).
    public static let crlPath = "/crl/ehealth-issuing-ca.crl"
    /// The OCSP responder's path: POST `application/ocsp-request`, or GET with the base64 request
    /// after it (RFC 6960 appendix A.1).
    public static let ocspPath = "/ocsp"
    /// How long a CRL or an OCSP answer is current.
    static let validity: TimeInterval = 86_400
}

extension SandboxEngine {
    /// The eHealth issuing CA's current CRL (DER), listing every revoked certificate it issued.
    public func certificateRevocationList() async throws -> Data {
        let now = self.now
        let revoked = try await issuedCertificates().filter { $0.status == .revoked }.map {
            RevokedCertificate(serialNumber: $0.certificate.serialNumber, revokedAt: $0.certificate.notValidBefore)
        }
        return try CertificateRevocationList.make(
            issuer: world.pki.eHealthCA.certificate, issuerPrivateKeyDER: try issuingKeyDER(), revoked: revoked,
            // Increasing with time, as RFC 5280 5.2.3 asks of successive CRLs.
            number: Int(now.timeIntervalSince1970), thisUpdate: now, nextUpdate: now.addingTimeInterval(RevocationPublication.validity))
    }

    /// The OCSP response (DER) to an OCSP request (DER) about certificates of the eHealth issuing CA.
    public func ocspResponse(to request: Data) async throws -> Data {
        let now = self.now
        let issued = try await issuedCertificates()
        return try OCSPResponder.respond(
            to: request, issuer: world.pki.eHealthCA.certificate, issuerPrivateKeyDER: try issuingKeyDER(),
            at: now, nextUpdate: now.addingTimeInterval(RevocationPublication.validity)) { serial in
                guard let found = issued.first(where: { $0.certificate.serialNumber.magnitude == serial }) else { return .unknown }
                return found.status == .revoked ? .revoked(at: found.certificate.notValidBefore) : .good
            }
    }

    /// Every certificate the eHealth CA delivered, with the request's status.
    private func issuedCertificates() async throws -> [(certificate: Certificate, status: StoredCertificate.Status)] {
        try await store.current().certificates.values.compactMap { stored in
            guard let der = stored.certificate, let certificate = try? Certificate(derEncoded: Array(der)) else { return nil }
            return (certificate, stored.status)
        }
    }

    private func issuingKeyDER() throws -> Data {
        guard let key = world.pki.rawKeys["ehealth-ca"] else { throw SandboxError.world("the eHealth issuing CA's key is not loaded") }
        return key.derRepresentation
    }
}
