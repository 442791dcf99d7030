import Foundation

/// Checks keystores for what needs doing soon (monitoring, cron): a certificate that expires
/// within the warning period, a replacement window that is open, a certificate that is no longer
/// usable. A keystore that cannot be read or asked about is a finding too.
public struct CertificateCheck: Sendable {
    public struct Finding: Sendable {
        public let keystore: URL
        public let status: CertificateStatus?
        public let warnings: [CertificateStatus.Warning]
        /// Why the keystore could not be checked.
        public let error: CertManagerError?

        /// Whether someone needs to act.
        public var needsAttention: Bool { error != nil || !warnings.isEmpty }
    }

    public let information: CertificateInformation
    /// Warn when a certificate expires, or its replacement window opens, within this many days.
    public let warnDays: Int

    public init(information: CertificateInformation, warnDays: Int) {
        self.information = information
        self.warnDays = warnDays
    }

    /// The keystores the platform's tools keep: `<home>/ehealth/keystore/*.p12`, by name.
    public static func defaultKeystores(in directory: URL = CreateETKRequest.defaultKeystoreDirectory) -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension.lowercased() == "p12" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    public func check(_ keystores: [URL], password: String, now: Date = Date()) async -> [Finding] {
        await check(keystores, passwords: KeystorePasswords(common: password), now: now)
    }

    /// Each keystore with its own password (``KeystorePasswords``); a keystore without one is a
    /// finding, the others are still checked.
    public func check(_ keystores: [URL], passwords: KeystorePasswords, now: Date = Date()) async -> [Finding] {
        var findings: [Finding] = []
        for keystore in keystores {
            do {
                let status = try await information.status(ofKeystore: keystore, password: try passwords.password(for: keystore))
                findings.append(Finding(keystore: keystore, status: status, warnings: status.warnings(at: now, warnDays: warnDays), error: nil))
            } catch {
                findings.append(Finding(keystore: keystore, status: nil, warnings: [], error: CertManagerError(error)))
            }
        }
        return findings
    }
}
