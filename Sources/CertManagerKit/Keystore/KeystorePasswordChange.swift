import Foundation
import Security

/// Changes a keystore's password in place, all or nothing: the keystore is read with the current
/// password, re-encrypted under the new one, read back and compared entry by entry, and only then
/// replaces the file atomically (`AtomicFile`). A wrong current password, a failed check or a
/// full disk leaves the file as it was, byte for byte. Every alias, key and certificate is kept,
/// and so is the protection (a legacy file stays readable by Java 8) unless another is asked for.
public enum KeystorePasswordChange {
    /// The protection to write.
    public enum Protection: String, Sendable, CaseIterable {
        /// What the file had (modern for a file whose protection cannot be told).
        case keep
        /// AES-256/PBKDF2, SHA-256 MAC: Java 17, OpenSSL 3.
        case modern
        /// 3DES keys, RC2-40 certificates, SHA-1 MAC: as the platform's Java tools write, for Java 8.
        case legacy
        /// 3DES keys and certificates, SHA-1 MAC: Java 8 without needing RC2.
        case legacyTripleDES = "legacy-3des"
    }

    public struct Outcome: Sendable, Equatable {
        /// The file written (a symbolic link's target).
        public let file: URL
        public let aliases: [String]
        public let protectionBefore: String?
        public let protectionAfter: String
    }

    public static func change(file: URL, from currentPassword: String, to newPassword: String,
                              protection: Protection = .keep) throws -> Outcome {
        let target = file.resolvingSymlinksInPath()
        let keystore: Keystore
        do {
            keystore = try Keystore(contentsOf: target, password: currentPassword)
        } catch {
            throw CertManagerError(error)
        }
        let format: PKCS12Format
        switch protection {
        case .keep: format = keystore.format ?? .modern
        case .modern: format = .modern
        case .legacy: format = .legacy
        case .legacyTripleDES: format = .legacyTripleDES
        }
        guard !newPassword.isEmpty else {
            throw CertManagerError(.init("PASSWORD_EMPTY"), .invalidInput, reason: "the new password is empty",
                                   advice: "Choose a password: the keystore holds your private keys.")
        }
        if newPassword == currentPassword, format == keystore.format {
            throw CertManagerError(.init("PASSWORD_UNCHANGED"), .invalidInput, reason: "the new password is the current one",
                                   advice: "Give another new password, or choose another protection with --format.")
        }
        do {
            let data = try keystore.pkcs12Data(password: newPassword, format: format)
            // Read back before replacing anything: the new file must open with the new password
            // and hold exactly what the old one held.
            let written = try Keystore(pkcs12: data, password: newPassword)
            guard written == keystore else {
                throw CertManagerError(.init("KEYSTORE_VERIFY_FAILED"), .local,
                                       reason: "the re-encrypted keystore does not hold the same entries; \(target.path) was left unchanged",
                                       advice: "Report this defect; your keystore is untouched.")
            }
            try AtomicFile.write(data, to: target, overwrite: true)
        } catch let error as CertManagerError {
            throw error
        } catch {
            throw CertManagerError(error)
        }
        return Outcome(file: target, aliases: keystore.aliases, protectionBefore: keystore.format.map { "\($0)" },
                       protectionAfter: "\(format)")
    }
}
