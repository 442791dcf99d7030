import X509

/// The XML-DSig signature methods of the eHealth signature profile (cookbook 4.3.2), chosen from
/// the signer's certificate, never assumed: RSA keys sign RSA-SHA256; Belgian eID cards of applet
/// 1.8 carry EC P-384 keys (ECDSA-SHA384); P-256 keys use ECDSA-SHA256.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    case rsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    case ecdsaSHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    case ecdsaSHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"

    /// The XML-DSig `SignatureMethod/@Algorithm` URI.
    public var uri: String { rawValue }

    public init(uri: String) throws {
        guard let algorithm = SignatureAlgorithm(rawValue: uri) else {
            throw SecurityError(.unsupportedKey, "signature method \(uri) is not allowed by the eHealth signature profile")
        }
        self = algorithm
    }

    /// The method for a certificate's public key.
    public init(for publicKey: Certificate.PublicKey) throws {
        if _RSA.Signing.PublicKey(publicKey) != nil {
            self = .rsaSHA256
        } else if P384.Signing.PublicKey(publicKey) != nil {
            self = .ecdsaSHA384
        } else if P256.Signing.PublicKey(publicKey) != nil {
            self = .ecdsaSHA256
        } else {
            throw SecurityError(.unsupportedKey, "the certificate's key is neither RSA nor EC P-256/P-384; eHealth signatures need one of these")
        }
    }
}

import _CryptoExtras
import Crypto
