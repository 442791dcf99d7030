import _CryptoExtras
import Foundation
import Security
import X509

/// The private keys a flow made before they can go into the final keystore: the new eHealth
/// authentication key (from step 6 until its certificate arrives) and the encryption key (from
/// step 10 until its serial number is known). Kept in the flow's folder as a PKCS#12 file
/// encrypted with the keystore's password (AES-256, PBKDF2), written atomically with mode 0600,
/// always before the request that depends on the key is sent.
struct FlowSecrets {
    static let fileName = "secrets.p12"
    static let authenticationAlias = "pending-authentication"
    static let encryptionAlias = "pending-encryption"

    let file: URL
    private let password: String
    private var keystore: Keystore

    /// Opens the flow's secrets; an absent file is an empty store. A wrong password fails here,
    /// before any request is made.
    init(folder: URL, password: String) throws {
        file = folder.appendingPathComponent(Self.fileName)
        self.password = password
        if FileManager.default.fileExists(atPath: file.path) {
            do {
                keystore = try Keystore(contentsOf: file, password: password)
            } catch let error as SecurityError where error.code == .keystoreWrongPassword {
                throw CertManagerError(.init(error.code.rawValue), .configuration,
                                       reason: "the password does not open this flow's keys",
                                       advice: "Give the keystore password chosen when the flow was started.")
            } catch {
                throw CertManagerError(error)
            }
        } else {
            keystore = Keystore()
        }
    }

    var authenticationKey: _RSA.Signing.PrivateKey? {
        get throws {
            guard let key = keystore[Self.authenticationAlias]?.privateKey else { return nil }
            guard case .rsa(let rsa) = try key.signingKey() else {
                throw CertManagerError(.journalUnusable, .local, reason: "the pending authentication key is not RSA", advice: "Start a new flow.")
            }
            return rsa
        }
    }

    var encryptionKey: _RSA.Encryption.PrivateKey? {
        get throws {
            try keystore[Self.encryptionAlias]?.privateKey?.rsaEncryptionKey()
        }
    }

    /// Stores the key durably; returns once it is on disk.
    mutating func storeAuthenticationKey(_ key: _RSA.Signing.PrivateKey) throws {
        try store(KeystorePrivateKey(.rsa(key)), alias: Self.authenticationAlias)
    }

    mutating func storeEncryptionKey(_ key: _RSA.Encryption.PrivateKey) throws {
        try store(KeystorePrivateKey(key), alias: Self.encryptionAlias)
    }

    private mutating func store(_ key: KeystorePrivateKey, alias: String) throws {
        var updated = keystore
        do {
            try updated.setPrivateKey(key, certificateChain: [], alias: alias)
            try updated.write(to: file, password: password, overwrite: true)
        } catch {
            throw CertManagerError(error)
        }
        keystore = updated
    }

    /// Deletes the flow's secrets once `keystoreFile` reads back complete: the authentication
    /// key with the certificate for `authenticationKey`, and the encryption key under
    /// `encryptionAlias`. Returns false, keeping the secrets, when it does not.
    static func removeOnceKept(in folder: URL, keystoreFile: URL, password: String,
                               authenticationKey: Certificate.PublicKey, encryptionAlias: String) throws -> Bool {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return true }
        guard let keystore = try? Keystore(contentsOf: keystoreFile, password: password),
              let authentication = keystore[Keystore.authenticationAlias], authentication.privateKey != nil,
              authentication.certificate?.publicKey == authenticationKey,
              keystore[encryptionAlias]?.privateKey != nil else { return false }
        try DurableFile.remove(file)
        return true
    }
}
