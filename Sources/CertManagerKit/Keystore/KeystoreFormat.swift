import Security

/// The protection a flow writes a new keystore with (protocol-facts, "Keystore conventions").
/// `modern` (AES-256/PBKDF2) by default; `legacy` as the platform's own Java tools write them
/// (3DES keys, RC2-40 certificates, SHA-1 MAC), for Java 8 runtimes, which cannot open AES
/// files, and for passwords with non-ASCII characters, which Java's PBES2 refuses.
public enum KeystoreFormat: String, Sendable, Codable, CaseIterable {
    case modern
    case legacy

    public var pkcs12: PKCS12Format {
        switch self {
        case .modern: .modern
        case .legacy: .legacy
        }
    }
}
