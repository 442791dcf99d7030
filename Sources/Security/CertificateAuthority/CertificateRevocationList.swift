import COpenSSL
import Foundation
import SwiftASN1
import X509

/// A certificate a CA has revoked, as its CRL and its OCSP responder list it.
public struct RevokedCertificate: Sendable, Hashable {
    public let serialNumber: Certificate.SerialNumber
    public let revokedAt: Date

    public init(serialNumber: Certificate.SerialNumber, revokedAt: Date) {
        self.serialNumber = serialNumber
        self.revokedAt = revokedAt
    }
}

/// An X.509 v2 CRL (RFC 5280 section 5) signed by the issuing CA with SHA-256: issuer, this and
/// next update, the revoked serial numbers with their dates, the CRL number and the authority
/// key identifier. Built with OpenSSL 3 (swift-certificates has no CRL type), so that
/// `openssl crl -CAfile` and any relying party read it.
public enum CertificateRevocationList {
    /// The DER CRL of `issuer`, signed with its key (`issuerPrivateKeyDER`: PKCS#8, PKCS#1 or SEC1).
    public static func make(issuer: Certificate, issuerPrivateKeyDER: Data, revoked: [RevokedCertificate],
                            number: Int, thisUpdate: Date, nextUpdate: Date) throws -> Data {
        let ca = try OpenSSLLibrary.x509(Data(try issuer.derEncodedBytes()))
        defer { X509_free(ca) }
        let key = try OpenSSLLibrary.privateKey(issuerPrivateKeyDER)
        defer { EVP_PKEY_free(key) }
        guard let crl = X509_CRL_new() else { throw failure("cannot allocate a CRL") }
        defer { X509_CRL_free(crl) }
        let last = try OpenSSLLibrary.time(thisUpdate)
        defer { ASN1_TIME_free(last) }
        let next = try OpenSSLLibrary.time(nextUpdate)
        defer { ASN1_TIME_free(next) }
        // Version 2 (the value 1), needed for the extensions.
        guard X509_CRL_set_version(crl, 1) == 1, X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) == 1,
              X509_CRL_set1_lastUpdate(crl, last) == 1, X509_CRL_set1_nextUpdate(crl, next) == 1 else {
            throw failure("cannot set the CRL's issuer and dates")
        }
        for entry in revoked {
            guard let item = X509_REVOKED_new() else { throw failure("cannot allocate a CRL entry") }
            let serial = try OpenSSLLibrary.integer(entry.serialNumber)
            defer { ASN1_INTEGER_free(serial) }
            let date = try OpenSSLLibrary.time(entry.revokedAt)
            defer { ASN1_TIME_free(date) }
            guard X509_REVOKED_set_serialNumber(item, serial) == 1, X509_REVOKED_set_revocationDate(item, date) == 1,
                  X509_CRL_add0_revoked(crl, item) == 1 else {
                X509_REVOKED_free(item)
                throw failure("cannot add serial \(entry.serialNumber) to the CRL")
            }
        }
        guard X509_CRL_sort(crl) == 1 else { throw failure("cannot sort the CRL's entries") }
        guard let crlNumber = ASN1_INTEGER_new() else { throw failure("cannot allocate the CRL number") }
        defer { ASN1_INTEGER_free(crlNumber) }
        // RFC 5280 5.2.1 and 5.2.3: a conforming CRL carries its issuer's key identifier and a number.
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, ca, nil, nil, crl, 0)
        guard ASN1_INTEGER_set(crlNumber, number) == 1, X509_CRL_add1_ext_i2d(crl, NID_crl_number, crlNumber, 0, 0) == 1,
              let authorityKey = X509V3_EXT_conf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
            throw failure("cannot add the CRL number and authority key identifier")
        }
        defer { X509_EXTENSION_free(authorityKey) }
        guard X509_CRL_add_ext(crl, authorityKey, -1) == 1 else { throw failure("cannot add the authority key identifier") }
        guard X509_CRL_sign(crl, key, EVP_sha256()) > 0 else { throw failure("cannot sign the CRL") }
        return try OpenSSLLibrary.encode { i2d_X509_CRL(crl, $0) }
    }

    private static func failure(_ what: String) -> SecurityError {
        SecurityError(.signingFailed, "\(what) (\(OpenSSLLibrary.drainErrors()))")
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    func derEncodedBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
