import _CryptoExtras
import Crypto
import Foundation
import X509

/// A private key held in memory (from a PKCS#12 keystore or a PEM file).
public struct SoftwareSigningKey: SigningKey {
    public enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
    }

    public let key: Key
    public let certificateChain: [Certificate]

    /// Checks that the key belongs to the first certificate of the chain.
    public init(key: Key, certificateChain: [Certificate]) throws {
        guard let leaf = certificateChain.first else {
            throw SecurityError(.unsupportedKey, "a signing key needs its certificate")
        }
        let matches: Bool
        switch key {
        case .rsa(let privateKey): matches = _RSA.Signing.PublicKey(leaf.publicKey)?.derRepresentation == privateKey.publicKey.derRepresentation
        case .p256(let privateKey): matches = P256.Signing.PublicKey(leaf.publicKey)?.rawRepresentation == privateKey.publicKey.rawRepresentation
        case .p384(let privateKey): matches = P384.Signing.PublicKey(leaf.publicKey)?.rawRepresentation == privateKey.publicKey.rawRepresentation
        }
        guard matches else {
            throw SecurityError(.unsupportedKey, "the private key does not belong to the certificate \(leaf.subject)")
        }
        self.key = key
        self.certificateChain = certificateChain
    }

    public func sign(_ data: Data) async throws -> Data {
        try signSynchronously(data)
    }

    /// The same, without suspension: software keys never wait.
    public func signSynchronously(_ data: Data) throws -> Data {
        switch key {
        case .rsa(let privateKey):
            return try privateKey.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case .p256(let privateKey):
            return try privateKey.signature(for: SHA256.hash(data: data)).rawRepresentation
        case .p384(let privateKey):
            return try privateKey.signature(for: SHA384.hash(data: data)).rawRepresentation
        }
    }
}
