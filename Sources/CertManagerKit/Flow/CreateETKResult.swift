import Foundation
import Security
import X509

/// What a finished create-new-ETK flow produced: a keystore with the eHealth authentication key
/// (alias `authentication`, with its chain) and the encryption key (alias: the decimal serial
/// number of the encryption certificate), and the ETK next to it.
public struct CreateETKResult: Sendable {
    public let flowID: FlowID
    public let keystoreFile: URL
    /// nil when the platform had registered the ETK in an earlier run without the copy reaching us.
    public let etkFile: URL?
    public let distinguishedName: String
    public let authenticationCertificate: Certificate
    /// The alias of the encryption key in the keystore.
    public let encryptionKeyAlias: String
    public let etk: ETK?
    /// A replacement ETK: it waits for activateETK (``ETKActivation``).
    public internal(set) var etkToBeActivated = false
    /// The PublicKeyIdentifier of the certificate this one replaces (generateCertificate's ReplacesCertificate).
    public internal(set) var replacesCertificate: String?
    /// The encryption keys of the replaced keystore that the new keystore keeps.
    public internal(set) var keptEncryptionKeyAliases: [String] = []
}
