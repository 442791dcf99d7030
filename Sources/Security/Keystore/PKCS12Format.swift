/// How a PKCS#12 keystore is protected (protocol-facts, "Keystore conventions").
///
/// The platform's own Java tools write `legacy` files (3DES-encrypted keys, RC2-40-encrypted
/// certificates, SHA-1 MAC); Java 8 releases read nothing else. Java 17 and OpenSSL 3 read both,
/// and `modern` (AES-256-CBC with PBKDF2-HMAC-SHA256 for keys and certificates, HMAC-SHA-256 MAC)
/// is what we write unless asked for a file a Java 8 installation can open.
///
/// Java's PBES2 (PBKDF2) accepts ASCII passwords only ("Password is not ASCII"): a `modern`
/// file protected by a password with other characters opens with OpenSSL and with this module,
/// but not with keytool or the platform's Java connector. The legacy algorithms have no such
/// limit.
public struct PKCS12Format: Sendable, Hashable, CustomStringConvertible {
    public enum KeyEncryption: Sendable, Hashable, CustomStringConvertible {
        /// PBES2: PBKDF2 with HMAC-SHA-256, AES-256-CBC.
        case aes256PBKDF2
        /// pbeWithSHA1And3-KeyTripleDES-CBC (RFC 7292 appendix C).
        case tripleDESSHA1

        public var description: String {
            switch self {
            case .aes256PBKDF2: "AES-256-CBC/PBKDF2-HMAC-SHA256"
            case .tripleDESSHA1: "pbeWithSHA1And3-KeyTripleDES-CBC"
            }
        }
    }

    public enum CertificateEncryption: Sendable, Hashable, CustomStringConvertible {
        case aes256PBKDF2
        case tripleDESSHA1
        /// pbeWithSHA1And40BitRC2-CBC: what Java 8 keytool writes; needs OpenSSL's legacy provider.
        case rc2With40BitSHA1
        /// Certificates in a plain (unencrypted) safe.
        case none

        public var description: String {
            switch self {
            case .aes256PBKDF2: "AES-256-CBC/PBKDF2-HMAC-SHA256"
            case .tripleDESSHA1: "pbeWithSHA1And3-KeyTripleDES-CBC"
            case .rc2With40BitSHA1: "pbeWithSHA1And40BitRC2-CBC"
            case .none: "no encryption"
            }
        }
    }

    /// The integrity MAC: HMAC over the PKCS#12 key derivation (RFC 7292 appendix B).
    public enum MAC: Sendable, Hashable, CustomStringConvertible {
        case sha256
        case sha1

        public var description: String {
            switch self {
            case .sha256: "HMAC-SHA-256"
            case .sha1: "HMAC-SHA-1"
            }
        }
    }

    public var keyEncryption: KeyEncryption
    public var certificateEncryption: CertificateEncryption
    public var mac: MAC
    /// Key-derivation iterations for the keys, the certificates and the MAC, as read from a file
    /// or asked for; a file is written with at least ``minimumIterations`` (``writtenIterations``).
    public var iterations: Int

    /// The fewest iterations a keystore is written with: rewriting a file made with fewer (an
    /// `openssl pkcs12 -iter 2048` export, an old Java default) does not keep its weakness.
    public static let minimumIterations = 100_000

    /// Lets this package's fuzz seeds be written with fewer iterations, so that a fuzzed input
    /// costs its parsing rather than PBKDF2; nothing outside the package can set it.
    package var allowsFewerIterations = false

    /// What a file written with this protection uses.
    public var writtenIterations: Int { allowsFewerIterations ? iterations : max(iterations, Self.minimumIterations) }

    public init(keyEncryption: KeyEncryption, certificateEncryption: CertificateEncryption, mac: MAC, iterations: Int = 100_000) {
        self.keyEncryption = keyEncryption
        self.certificateEncryption = certificateEncryption
        self.mac = mac
        self.iterations = max(1, iterations)
    }

    /// AES-256/PBKDF2 everywhere, SHA-256 MAC: the default for new files.
    public static let modern = PKCS12Format(keyEncryption: .aes256PBKDF2, certificateEncryption: .aes256PBKDF2, mac: .sha256)

    /// The layout of the platform's Java tools, readable by Java 8: 3DES keys, RC2-40
    /// certificates, SHA-1 MAC.
    public static let legacy = PKCS12Format(keyEncryption: .tripleDESSHA1, certificateEncryption: .rc2With40BitSHA1, mac: .sha1)

    /// Java 8 compatible without RC2 (for an OpenSSL built without the legacy provider): 3DES for
    /// keys and certificates, SHA-1 MAC.
    public static let legacyTripleDES = PKCS12Format(keyEncryption: .tripleDESSHA1, certificateEncryption: .tripleDESSHA1, mac: .sha1)

    /// Whether Java 8 releases without the PBES2 backport can open such a file.
    public var isJava8Compatible: Bool {
        keyEncryption == .tripleDESSHA1 && certificateEncryption != .aes256PBKDF2 && mac == .sha1
    }

    public var description: String {
        "keys \(keyEncryption), certificates \(certificateEncryption), MAC \(mac), \(iterations) iterations"
    }
}
