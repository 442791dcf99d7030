import _CryptoExtras
import Crypto
import Foundation
import X509

/// A key in memory hashes as any X.509 algorithm of its family asks: RSA PKCS#1 v1.5 and ECDSA
/// with SHA-256, SHA-384 or SHA-512 (cookbook 4.3.4.8: the encryption certificate is signed with
/// the authentication certificate's algorithm, whatever hash the eHealth CA chose).
extension SoftwareSigningKey {
    public func sign(_ data: Data, as algorithm: Certificate.SignatureAlgorithm) async throws -> Data {
        switch (key, algorithm) {
        case (.rsa(let privateKey), .sha256WithRSAEncryption):
            return try privateKey.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.rsa(let privateKey), .sha384WithRSAEncryption):
            return try privateKey.signature(for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.rsa(let privateKey), .sha512WithRSAEncryption):
            return try privateKey.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.p256(let privateKey), .ecdsaWithSHA256):
            return try privateKey.signature(for: SHA256.hash(data: data)).rawRepresentation
        case (.p256(let privateKey), .ecdsaWithSHA384):
            return try privateKey.signature(for: SHA384.hash(data: data)).rawRepresentation
        case (.p256(let privateKey), .ecdsaWithSHA512):
            return try privateKey.signature(for: SHA512.hash(data: data)).rawRepresentation
        case (.p384(let privateKey), .ecdsaWithSHA256):
            return try privateKey.signature(for: SHA256.hash(data: data)).rawRepresentation
        case (.p384(let privateKey), .ecdsaWithSHA384):
            return try privateKey.signature(for: SHA384.hash(data: data)).rawRepresentation
        case (.p384(let privateKey), .ecdsaWithSHA512):
            return try privateKey.signature(for: SHA512.hash(data: data)).rawRepresentation
        default:
            throw SecurityError(.unsupportedKey, "a \(try certificateSignatureAlgorithm) key cannot sign \(algorithm)")
        }
    }
}
