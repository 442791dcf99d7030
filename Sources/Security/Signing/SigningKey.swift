import Foundation
import X509

/// A private key that signs eHealth requests, wherever it lives: a PKCS#12 file, a PEM file, a
/// Belgian eID card or an HSM through PKCS#11. The XML signer only needs this.
public protocol SigningKey: Sendable {
    /// The signer's certificate first, then its issuers up to but excluding the root (cookbook
    /// 4.3.2: that is what goes into KeyInfo/X509Data).
    var certificateChain: [Certificate] { get }

    /// Signs `data` with the algorithm `signatureAlgorithm` names (the key hashes as that algorithm
    /// requires). ECDSA signatures come back in XML-DSig form: r and s as two fixed-size
    /// big-endian integers, concatenated (RFC 4050), not DER.
    func sign(_ data: Data) async throws -> Data

    /// Signs `data` for an X.509 signature of `algorithm`, which may hash otherwise than the
    /// key's own XML-DSig method (the encryption certificate takes the authentication
    /// certificate's algorithm, cookbook 4.3.4.8). Same output form as ``sign(_:)``. The default
    /// accepts the key's own algorithm only.
    func sign(_ data: Data, as algorithm: Certificate.SignatureAlgorithm) async throws -> Data
}

extension SigningKey {
    public var certificate: Certificate { certificateChain[0] }

    /// Read from the certificate: the card or file never decides this.
    public var signatureAlgorithm: SignatureAlgorithm {
        get throws { try SignatureAlgorithm(for: certificate.publicKey) }
    }
}

extension SigningKey {
    /// The X.509 algorithm of the key's own signatures (``signatureAlgorithm``).
    public var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm {
        get throws {
            switch try signatureAlgorithm {
            case .rsaSHA256: .sha256WithRSAEncryption
            case .ecdsaSHA256: .ecdsaWithSHA256
            case .ecdsaSHA384: .ecdsaWithSHA384
            }
        }
    }

    public func sign(_ data: Data, as algorithm: Certificate.SignatureAlgorithm) async throws -> Data {
        let own = try certificateSignatureAlgorithm
        guard algorithm == own else {
            throw SecurityError(.unsupportedKey, "this key signs \(own) only, not \(algorithm)")
        }
        return try await sign(data)
    }
}
