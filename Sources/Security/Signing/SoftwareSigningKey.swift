import _CryptoExtras
import Crypto
import Foundation
import X509

/// A private key held in memory (from a PKCS#12 keystore or a PEM file). It signs through
/// OpenSSL 3 (`EVPKey`), which does RSA in less than half swift-crypto's time here; `key` keeps
/// the swift-crypto form the rest of the toolkit reads (keystores, the ETK challenge).
public struct SoftwareSigningKey: SigningKey {
    public enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
    }

    public let key: Key
    public let certificateChain: [Certificate]
    /// Read from the certificate once (`SigningKey.signatureAlgorithm` reads it on every use).
    public let signatureAlgorithm: SignatureAlgorithm
    private let signer: EVPKey

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
        switch key {
        case .rsa(let privateKey): signer = try EVPKey(privateKeyDER: privateKey.derRepresentation, digest: .sha256)
        case .p256(let privateKey): signer = try EVPKey(privateKeyDER: privateKey.derRepresentation, digest: .sha256)
        case .p384(let privateKey): signer = try EVPKey(privateKeyDER: privateKey.derRepresentation, digest: .sha384)
        }
        signatureAlgorithm = try SignatureAlgorithm(for: leaf.publicKey)
        self.key = key
        self.certificateChain = certificateChain
    }

    public func sign(_ data: Data) async throws -> Data {
        try signSynchronously(data)
    }

    /// The same, without suspension: software keys never wait.
    public func signSynchronously(_ data: Data) throws -> Data {
        switch signer.digest {
        case .sha256: try signer.sign(digest: SHA256.hash(data: data))
        case .sha384: try signer.sign(digest: SHA384.hash(data: data))
        }
    }
}
