import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// Lets a ``SigningKey`` (a keystore entry, an eID card, an HSM) sign an X.509 certificate with
/// swift-certificates: the key signs asynchronously and returns XML-DSig signature bytes, which
/// become the certificate's signature (ECDSA r||s re-encoded as DER).
struct SigningKeyCertificateSigner: CustomPrivateKey {
    let key: any SigningKey
    let publicKey: Certificate.PublicKey
    let signatureAlgorithm: Certificate.SignatureAlgorithm

    /// `signatureAlgorithm` nil: the key's own.
    init(_ key: any SigningKey, signatureAlgorithm: Certificate.SignatureAlgorithm? = nil) throws {
        self.key = key
        publicKey = key.certificate.publicKey
        self.signatureAlgorithm = try signatureAlgorithm ?? key.certificateSignatureAlgorithm
    }

    var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm { signatureAlgorithm }
    var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [signatureAlgorithm] }

    func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        throw SecurityError(.signingFailed, "this key signs asynchronously only")
    }

    func signAsynchronously(bytes: some DataProtocol & Sendable, signatureAlgorithm: Certificate.SignatureAlgorithm) async throws -> Certificate.Signature {
        guard signatureAlgorithm == self.signatureAlgorithm else {
            throw SecurityError(.signingFailed, "the key signs \(self.signatureAlgorithm), not \(signatureAlgorithm)")
        }
        let raw = try await key.sign(Data(bytes), as: signatureAlgorithm)
        let signature: [UInt8]
        // r||s is as long as the curve's order, whatever the hash.
        switch try key.signatureAlgorithm {
        case .ecdsaSHA384: signature = Array(try P384.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
        case .ecdsaSHA256: signature = Array(try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
        case .rsaSHA256: signature = Array(raw)
        }
        return try Certificate.Signature(signatureAlgorithm: signatureAlgorithm, signatureBytes: ASN1BitString(bytes: signature[...]))
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.publicKey == rhs.publicKey && lhs.signatureAlgorithm == rhs.signatureAlgorithm
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(publicKey)
    }

    // A private key behind SigningKey is never exported.
    static var defaultPEMDiscriminator: String { "PRIVATE KEY" }

    func serialize(into coder: inout DER.Serializer) throws {
        throw SecurityError(.unsupportedKey, "a SigningKey's private key cannot be exported")
    }
}
