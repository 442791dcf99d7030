import Foundation
import X509

/// A private key on a PKCS#11 token (a Belgian eID card, an HSM, SoftHSM2) behind the module's
/// one signer protocol. The key is found by label, its certificate chain read from the token, and
/// the signature algorithm taken from the certificate: RSA keys sign with CKM_SHA256_RSA_PKCS (or
/// CKM_RSA_PKCS over a SHA-256 DigestInfo where the token lacks it), EC keys with CKM_ECDSA over
/// the SHA-384 (P-384) or SHA-256 (P-256) digest.
///
/// Logging in waits for the first signature, so merely opening a key never asks for a PIN.
/// Removing the card fails the call in progress with `PKCS11_TOKEN_REMOVED`; the next call looks
/// for the token again and continues once the same card is back.
public final class PKCS11SigningKey: SigningKey {
    /// Labels of the Belgian eID's keys and certificates.
    public enum BelgianEIDKey: String, Sendable, CaseIterable {
        /// Authentication (getActorQualities, getCertificateInfoForCitizen).
        case authentication = "Authentication"
        /// Non-repudiation signature (generateCertificate, revoke).
        case signature = "Signature"
    }

    public struct Options: Sendable, Hashable {
        public enum RSAMechanism: Sendable, Hashable {
            /// CKM_SHA256_RSA_PKCS when the token lists it, else CKM_RSA_PKCS with DigestInfo.
            case automatic
            case sha256RSAPKCS
            /// For tokens whose hashing mechanisms are missing or broken.
            case rsaPKCSWithDigestInfo
        }

        public var rsaMechanism: RSAMechanism

        public init(rsaMechanism: RSAMechanism = .automatic) {
            self.rsaMechanism = rsaMechanism
        }
    }

    public let certificateChain: [Certificate]
    /// CKA_LABEL of the key and its certificate.
    public let label: String
    public let token: PKCS11TokenSelector
    private let connection: PKCS11KeyConnection
    private let algorithm: SignatureAlgorithm

    private init(connection: PKCS11KeyConnection, certificateChain: [Certificate], algorithm: SignatureAlgorithm) {
        self.connection = connection
        self.certificateChain = certificateChain
        self.label = connection.label
        self.token = connection.selector
        self.algorithm = algorithm
    }

    /// Opens the key labelled `label` on the selected token: reads its certificate and chain
    /// (no PIN needed for that on an eID card).
    public static func open(module: PKCS11Module, token: PKCS11TokenSelector = .first, label: String,
                            pin: PINSource, options: Options = Options()) async throws -> PKCS11SigningKey {
        // Applet 1.8 eID cards carry a third key, `Card`, which authenticates the card itself
        // (protocol-facts, "Key algorithms in the field"); it never signs eHealth requests.
        guard label != "Card" else {
            throw SecurityError(.unsupportedKey, "the eID's 'Card' key authenticates the card itself and cannot sign eHealth requests; use 'Authentication' or 'Signature'")
        }
        let connection = PKCS11KeyConnection(module: module, selector: token, label: label, pinSource: pin, options: options)
        let chain = try await connection.perform { try $0.loadCertificateChain() }
        let algorithm = try SignatureAlgorithm(for: chain[0].publicKey)
        return PKCS11SigningKey(connection: connection, certificateChain: chain, algorithm: algorithm)
    }

    /// A key of the Belgian eID card in the first reader holding one, through the installed eID
    /// middleware (`PKCS11Module.belgianEID()`).
    public static func belgianEID(_ key: BelgianEIDKey, pin: PINSource, module: PKCS11Module? = nil) async throws -> PKCS11SigningKey {
        try await open(module: module ?? PKCS11Module.belgianEID(), token: .first, label: key.rawValue, pin: pin)
    }

    public func sign(_ data: Data) async throws -> Data {
        let algorithm = self.algorithm
        return try await connection.perform { try $0.sign(data, algorithm: algorithm) }
    }

    /// Closes the session now rather than when the key is released (the token logs out when the
    /// application's last session on it closes).
    public func close() async {
        _ = try? await connection.perform { $0.invalidate() }
    }
}
