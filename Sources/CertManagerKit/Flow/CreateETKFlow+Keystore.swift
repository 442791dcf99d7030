import _CryptoExtras
import Foundation
import Security
import X509

/// The keystore the flow writes: `authentication` at step 9, the encryption key after step 13
/// (cookbook 4.1).
extension CreateETKFlow {
    /// Step 9's keystore: `authentication` with its chain (cookbook 4.3.4 step 9, 4.1).
    func writeAuthenticationKeystore(privateKey: _RSA.Signing.PrivateKey, chain: [Certificate], password: String) throws {
        let file = journal.keystoreFile
        try DurableFile.makePrivateDirectory(file.deletingLastPathComponent())
        do {
            var keystore = Keystore()
            if FileManager.default.fileExists(atPath: file.path) {
                // Only this flow's own keystore (from a run that stopped after writing it) is replaced.
                let existing = try Keystore(contentsOf: file, password: password)
                guard existing[Keystore.authenticationAlias]?.certificate?.publicKey == chain[0].publicKey else {
                    throw CertManagerError(.keystoreExistsCode, .local, reason: "\(file.path) already exists and is not this flow's keystore",
                                           advice: "Move that file away, then `resume`.")
                }
                keystore = existing
            }
            try keystore.setAuthenticationKey(KeystorePrivateKey(.rsa(privateKey)), certificateChain: chain)
            // As in the platform's own keystores: the CA chain also as trusted-certificate entries
            // named by subject (Java's truststore view of the file).
            for certificate in chain.dropFirst() {
                keystore.setCertificate(certificate, alias: certificate.subject.description)
            }
            try keystore.write(to: file, password: password, format: keystore.format ?? newKeystoreFormat(password: password), overwrite: true)
        } catch {
            throw CertManagerError(error)
        }
    }

    /// A renewal's keystore gets the replaced keystore's protection: the applications that read
    /// the old file read the new one, including Java 8 ones that cannot read AES/PBKDF2 files
    /// when the old one was legacy, as the platform's tools write them (protocol-facts, keystores).
    private func newKeystoreFormat(password: String) throws -> PKCS12Format {
        if let chosen = journal.request.keystoreFormat { return chosen.pkcs12 }
        guard let replacing = journal.request.replacing else { return .modern }
        return try Keystore(contentsOf: replacing.keystoreFile, password: password).format ?? .modern
    }

    /// The ETK next to the keystore, then the encryption key under its serial alias (cookbook 4.1).
    /// Both writes are idempotent, so a run that stopped between them repeats them.
    func finishKeystore(_ context: RunContext, encryptionKey: _RSA.Encryption.PrivateKey, keystorePassword: String) throws {
        guard let certificateData = journal.encryptionCertificate else { throw inconsistent("no encryption certificate after step 13") }
        let certificate = try EncryptionCertificate(derEncoded: certificateData)
        if let etk = journal.etk {
            try DurableFile.write(etk, to: journal.etkFile, permissions: 0o644)
        }
        var kept: [String] = []
        do {
            // A renewal keeps the replaced keystore's encryption keys under their serial aliases, so
            // that messages encrypted for the old ETK stay readable (protocol-facts, ETK).
            let previous = try journal.request.replacing.map { try Keystore(contentsOf: $0.keystoreFile, password: keystorePassword) }
            kept = previous?.encryptionAliases.filter { $0 != certificate.keystoreAlias } ?? []
            // A read-back of step 9's keystore that stays: it keeps whatever else the file holds and
            // refuses a file that changed and no longer opens. When the bytes are those step 9 wrote in
            // this process, nothing is decrypted again (RecentKeystoreFiles); after a resume, or a
            // change by anyone else, the file is decrypted and its MAC checked.
            try Keystore.modify(at: journal.keystoreFile, password: keystorePassword) { keystore in
                for alias in previous?.encryptionAliases ?? [] {
                    guard let entry = previous?[alias], let key = entry.privateKey else { continue }
                    try keystore.setPrivateKey(key, certificateChain: entry.certificateChain, alias: alias)
                }
                try keystore.addEncryptionKey(KeystorePrivateKey(encryptionKey), certificate: certificate.certificate)
            }
        } catch {
            throw CertManagerError(error)
        }
        try record {
            $0.finishedAt = Date()
            if $0.request.replacing != nil { $0.keptEncryptionKeyAliases = kept }
        }
        try removeSecretsOnceKept(context.progress, keystorePassword: keystorePassword)
        if !kept.isEmpty {
            context.progress(.notice("kept the replaced keystore's encryption key\(kept.count == 1 ? "" : "s") \(kept.joined(separator: ", ")), for messages encrypted for the old ETK"))
        }
        context.progress(.notice(journal.etk != nil
            ? "keystore complete: \(journal.keystoreFile.path) (encryption key under alias \(certificate.keystoreAlias)); ETK in \(journal.etkFile.lastPathComponent)"
            : "keystore complete: \(journal.keystoreFile.path) (encryption key under alias \(certificate.keystoreAlias))"))
    }

    /// No private key outlives its purpose: once the keystore holds both keys, the flow's copy
    /// in secrets.p12 goes. A finished flow whose secrets are still there (a crash right after
    /// finishing) gets here again on `resume`.
    func removeSecretsOnceKept(_ progress: FlowProgress, keystorePassword: String) throws {
        guard let leafData = journal.certificateChain?.first, let certificateData = journal.encryptionCertificate else { return }
        let leaf = try Certificate(derEncoded: Array(leafData))
        let alias = try EncryptionCertificate(derEncoded: certificateData).keystoreAlias
        let removed = try FlowSecrets.removeOnceKept(in: folder, keystoreFile: journal.keystoreFile, password: keystorePassword,
                                                     authenticationKey: leaf.publicKey, encryptionAlias: alias)
        if !removed {
            progress(.notice("warning: \(journal.keystoreFile.path) does not read back complete; the flow's keys stay in \(folder.appendingPathComponent(FlowSecrets.fileName).path)"))
        }
    }
}
