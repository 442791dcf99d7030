import COpenSSL
import Foundation
import X509

/// An OCSP responder (RFC 6960) for one issuing CA, which signs its answers itself (the CA
/// is the responder, section 2.6): each certificate asked about is good, revoked (with its
/// date) or unknown, the request's nonce is echoed. Built with OpenSSL 3, so that `openssl
/// ocsp` and any relying party read the answers.
public enum OCSPResponder {
    public enum CertificateStatus: Sendable, Equatable {
        case good
        case revoked(at: Date)
        /// Not a certificate of this CA, or one it does not know.
        case unknown
    }

    /// The DER OCSPResponse to a DER OCSPRequest: `malformedRequest` (RFC 6960 4.2.1) when the
    /// request cannot be read, otherwise `successful` with a BasicOCSPResponse signed by
    /// `issuer`'s key (SHA-256) that carries the issuer's certificate. `status` is asked with the
    /// serial number's ``Certificate/SerialNumber/magnitude`` for the certificates of `issuer`.
    public static func respond(to request: Data, issuer: Certificate, issuerPrivateKeyDER: Data, at now: Date,
                               nextUpdate: Date, status: ([UInt8]) -> CertificateStatus) throws -> Data {
        let parsed: OpaquePointer? = request.withUnsafeBytes { raw in
            var cursor = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return d2i_OCSP_REQUEST(nil, &cursor, raw.count)
        }
        guard let parsed, OCSP_request_onereq_count(parsed) > 0 else {
            ERR_clear_error()
            if let parsed { OCSP_REQUEST_free(parsed) }
            return try unsuccessful(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST)
        }
        defer { OCSP_REQUEST_free(parsed) }
        let ca = try OpenSSLLibrary.x509(Data(try issuer.derEncodedBytes()))
        defer { X509_free(ca) }
        let key = try OpenSSLLibrary.privateKey(issuerPrivateKeyDER)
        defer { EVP_PKEY_free(key) }
        guard let basic = OCSP_BASICRESP_new() else { throw failure("cannot allocate an OCSP response") }
        defer { OCSP_BASICRESP_free(basic) }
        let thisUpdate = try OpenSSLLibrary.time(now)
        defer { ASN1_TIME_free(thisUpdate) }
        let next = try OpenSSLLibrary.time(nextUpdate)
        defer { ASN1_TIME_free(next) }

        for index in 0..<OCSP_request_onereq_count(parsed) {
            guard let one = OCSP_request_onereq_get0(parsed, index), let id = OCSP_onereq_get0_id(one) else {
                return try unsuccessful(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST)
            }
            var answer = CertificateStatus.unknown
            if let serial = issuedSerial(id, by: ca) {
                answer = status(serial)
            }
            var revokedAt: UnsafeMutablePointer<ASN1_TIME>?
            defer { if let revokedAt { ASN1_TIME_free(revokedAt) } }
            let code: Int32
            switch answer {
            case .good: code = V_OCSP_CERTSTATUS_GOOD
            case .unknown: code = V_OCSP_CERTSTATUS_UNKNOWN
            case .revoked(let date):
                code = V_OCSP_CERTSTATUS_REVOKED
                revokedAt = try OpenSSLLibrary.time(date)
            }
            guard OCSP_basic_add1_status(basic, id, code, OCSP_REVOKED_STATUS_NOSTATUS, revokedAt, thisUpdate, next) != nil else {
                throw failure("cannot add a certificate's status")
            }
        }
        // 1: the nonce copied; 2: the request had none.
        guard OCSP_copy_nonce(basic, parsed) > 0 else { throw failure("cannot echo the request's nonce") }
        guard OCSP_basic_sign(basic, ca, key, EVP_sha256(), nil, 0) == 1 else { throw failure("cannot sign the OCSP response") }
        guard let response = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic) else {
            throw failure("cannot make the OCSP response")
        }
        defer { OCSP_RESPONSE_free(response) }
        return try OpenSSLLibrary.encode { i2d_OCSP_RESPONSE(response, $0) }
    }

    /// The serial number a CertID asks about, when its issuer name and key hashes (computed with
    /// the request's own hash algorithm) are those of `ca`.
    private static func issuedSerial(_ id: OpaquePointer, by ca: OpaquePointer) -> [UInt8]? {
        var algorithm: OpaquePointer?
        var serial: UnsafeMutablePointer<ASN1_INTEGER>?
        guard OCSP_id_get0_info(nil, &algorithm, nil, &serial, id) == 1, let algorithm, let serial,
              let digest = EVP_get_digestbyname(OBJ_nid2sn(OBJ_obj2nid(algorithm))),
              let ours = OCSP_cert_id_new(digest, X509_get_subject_name(ca), X509_get0_pubkey_bitstr(ca), serial) else {
            ERR_clear_error()
            return nil
        }
        defer { OCSP_CERTID_free(ours) }
        guard OCSP_id_issuer_cmp(id, ours) == 0 else { return nil }
        return OpenSSLLibrary.magnitude(serial)
    }

    private static func unsuccessful(_ status: Int32) throws -> Data {
        guard let response = OCSP_response_create(status, nil) else { throw failure("cannot make the OCSP response") }
        defer { OCSP_RESPONSE_free(response) }
        return try OpenSSLLibrary.encode { i2d_OCSP_RESPONSE(response, $0) }
    }

    private static func failure(_ what: String) -> SecurityError {
        SecurityError(.signingFailed, "\(what) (\(OpenSSLLibrary.drainErrors()))")
    }
}
