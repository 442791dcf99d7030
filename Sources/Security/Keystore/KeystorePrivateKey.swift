import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// A private key as a keystore holds it: RSA or EC, kept as unencrypted PKCS#8 DER. Converts to
/// the forms the rest of the module uses: a `SoftwareSigningKey.Key` for signing, an
/// `_RSA.Encryption.PrivateKey` for the ETK challenge (protocol-facts, "The ETK challenge").
public struct KeystorePrivateKey: Sendable, Hashable {
    public enum Algorithm: Sendable, Hashable, CustomStringConvertible {
        case rsa(bits: Int)
        case ecP256
        case ecP384
        case ecP521

        public var description: String {
            switch self {
            case .rsa(let bits): "RSA \(bits)"
            case .ecP256: "EC P-256"
            case .ecP384: "EC P-384"
            case .ecP521: "EC P-521"
            }
        }
    }

    public let algorithm: Algorithm
    /// PKCS#8 PrivateKeyInfo, DER, unencrypted. `_RSA.Encryption.PrivateKey(derRepresentation:)`,
    /// `_RSA.Signing.PrivateKey(derRepresentation:)` and `P384.Signing.PrivateKey(derRepresentation:)`
    /// all accept it.
    public let pkcs8DERRepresentation: Data
    /// The matching public key, DER SubjectPublicKeyInfo (what a certificate carries).
    public let subjectPublicKeyInfo: Data

    /// From DER: PKCS#8, PKCS#1 (RSA) or SEC1 (EC).
    public init(derRepresentation: Data) throws {
        let pkcs8 = try PrivateKeyCodec.pkcs8(fromDER: derRepresentation)
        try self.init(pkcs8: pkcs8)
    }

    /// From PEM: `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY`
    /// with its password. Never prompts: an encrypted key without a password is an error.
    public init(pemRepresentation: String, password: String? = nil) throws {
        try self.init(pkcs8: try PrivateKeyCodec.pkcs8(fromPEM: pemRepresentation, password: password))
    }

    public init(_ key: SoftwareSigningKey.Key) throws {
        switch key {
        case .rsa(let rsa): try self.init(derRepresentation: rsa.derRepresentation)
        case .p256(let ec): try self.init(derRepresentation: ec.derRepresentation)
        case .p384(let ec): try self.init(derRepresentation: ec.derRepresentation)
        }
    }

    /// An ETK encryption key (RSA 2048 in the cookbook).
    public init(_ key: _RSA.Encryption.PrivateKey) throws {
        try self.init(derRepresentation: key.derRepresentation)
    }

    init(pkcs8: Data) throws {
        let (algorithm, subjectPublicKeyInfo) = try PrivateKeyCodec.describe(pkcs8: pkcs8)
        self.algorithm = algorithm
        self.pkcs8DERRepresentation = pkcs8
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
    }

    /// Whether this key belongs to the certificate (same public key).
    public func belongs(to certificate: Certificate) -> Bool {
        guard let spki = try? certificate.publicKey.subjectPublicKeyInfoDER() else { return false }
        return spki == subjectPublicKeyInfo
    }

    /// For signing; the algorithm the signature uses is read from the certificate (`SigningKey`).
    public func signingKey() throws -> SoftwareSigningKey.Key {
        switch algorithm {
        case .rsa: return .rsa(try _RSA.Signing.PrivateKey(derRepresentation: pkcs8DERRepresentation))
        case .ecP256: return .p256(try P256.Signing.PrivateKey(derRepresentation: pkcs8DERRepresentation))
        case .ecP384: return .p384(try P384.Signing.PrivateKey(derRepresentation: pkcs8DERRepresentation))
        case .ecP521:
            throw SecurityError(.unsupportedKey, "EC P-521 keys cannot sign eHealth requests (the profile allows RSA, P-256 and P-384)")
        }
    }

    /// The RSA key for PKCS#1 v1.5 decryption of the ETK challenge.
    public func rsaEncryptionKey() throws -> _RSA.Encryption.PrivateKey {
        guard case .rsa = algorithm else {
            throw SecurityError(.unsupportedKey, "the ETK challenge is RSA-encrypted but this key is \(algorithm)")
        }
        return try _RSA.Encryption.PrivateKey(derRepresentation: pkcs8DERRepresentation)
    }
}

extension Certificate.PublicKey {
    /// The DER SubjectPublicKeyInfo, as OpenSSL's `i2d_PUBKEY` writes it.
    fileprivate func subjectPublicKeyInfoDER() throws -> Data {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return Data(serializer.serializedBytes)
    }
}
