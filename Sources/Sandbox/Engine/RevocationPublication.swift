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
        let revoked = try await store.transaction { state in
            try state.certificates(status: .revoked).compactMap(Self.deliveredCertificate)
        }.map { RevokedCertificate(serialNumber: $0.serialNumber, revokedAt: $0.notValidBefore) }
        return try CertificateRevocationList.make(
            issuer: world.pki.eHealthCA.certificate, issuerPrivateKeyDER: try issuingKeyDER(), revoked: revoked,
            // Increasing with time, as RFC 5280 5.2.3 asks of successive CRLs.
            number: Int(now.timeIntervalSince1970), thisUpdate: now, nextUpdate: now.addingTimeInterval(RevocationPublication.validity))
    }

    /// The OCSP response (DER) to an OCSP request (DER) about certificates of the eHealth issuing CA.
    public func ocspResponse(to request: Data) async throws -> Data {
        let now = self.now
        let issuer = world.pki.eHealthCA.certificate
        let key = try issuingKeyDER()
        // Answered inside one transaction: each serial the request names is one indexed lookup.
        return try await store.transaction { state in
            try OCSPResponder.respond(to: request, issuer: issuer, issuerPrivateKeyDER: key,
                                      at: now, nextUpdate: now.addingTimeInterval(RevocationPublication.validity)) { serial in
                // A DER INTEGER's magnitude may have lost the leading zero its encoding carries.
                let candidates = [Certificate.SerialNumber(bytes: serial), Certificate.SerialNumber(bytes: [0] + serial)]
                guard let stored = candidates.lazy.compactMap({ try? state.certificate(serialNumber: $0) }).first,
                      let certificate = Self.deliveredCertificate(stored) else { return .unknown }
                return stored.status == .revoked ? .revoked(at: certificate.notValidBefore) : .good
            }
        }
    }

    private static func deliveredCertificate(_ stored: StoredCertificate) -> Certificate? {
        guard let der = stored.certificate else { return nil }
        return try? Certificate(derEncoded: Array(der))
    }

    private func issuingKeyDER() throws -> Data {
        guard let key = world.pki.rawKeys["ehealth-ca"] else { throw SandboxError.world("the eHealth issuing CA's key is not loaded") }
        return key.derRepresentation
    }
}
