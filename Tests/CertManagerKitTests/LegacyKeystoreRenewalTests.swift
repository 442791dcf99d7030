import CertManagerKit
import Foundation
import Sandbox
import Security
import Testing
import X509

/// The tools that make keystores the way the platform's do.
enum PlatformKeystoreTools {
    static var available: Bool {
        ["/usr/bin/openssl", "/usr/bin/keytool"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Renewal (cookbook 4.3.5) from a keystore as the platform's own Java tools leave it
/// (protocol-facts, "Keystore conventions"): legacy PKCS#12 (keys in 3DES shrouded bags,
/// certificates in an RC2-40 bag, SHA-1 MAC), `authentication` plus encryption keys under their
/// serial aliases, one of them EC P-384 (the acceptance platform has issued EC encryption
/// certificates since 2024). The file is made with the real tools: `openssl pkcs12 -export
/// -legacy` one entry at a time, merged by Java's keytool in its legacy mode.
@Suite("Renew from a legacy keystore made by openssl and keytool", .serialized,
       .enabled(if: PlatformKeystoreTools.available, "openssl and Java's keytool are needed: apt-get install -y openssl openjdk-17-jre-headless"))
struct LegacyKeystoreRenewalTests {
    static let passwordVariable = "LEGACY_KEYSTORE_PASSWORD"
    static var environment: [String: String] { [passwordVariable: FlowFixture.password] }
    /// The serial number of an older EC P-384 encryption certificate, so its alias.
    static let oldSerial = "402912617894331427116521563720398711405"

    static func pem(_ key: KeystorePrivateKey) -> String {
        let base64 = key.pkcs8DERRepresentation.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PRIVATE KEY-----\n\(base64)\n-----END PRIVATE KEY-----\n"
    }

    static func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
    }

    static func tool(_ name: String, _ arguments: [String]) async throws -> String {
        let result = try await EHCertIsolated.tool(name, arguments, environment: environment)
        try #require(result.status == 0, "\(name) \(arguments.joined(separator: " ")) failed: \(result.standardOutput)")
        return result.standardOutput
    }

    /// One entry as `openssl pkcs12 -export -legacy` writes it.
    static func exportLegacy(key: KeystorePrivateKey, chain: [Certificate], alias: String, in folder: URL) async throws -> URL {
        let keyFile = folder.appendingPathComponent("\(alias).key")
        let certificateFile = folder.appendingPathComponent("\(alias).crt")
        let chainFile = folder.appendingPathComponent("\(alias).chain.crt")
        try pem(key).write(to: keyFile, atomically: true, encoding: .utf8)
        try pem([chain[0]]).write(to: certificateFile, atomically: true, encoding: .utf8)
        try pem(Array(chain.dropFirst())).write(to: chainFile, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("\(alias).p12")
        var arguments = ["pkcs12", "-export", "-legacy", "-inkey", keyFile.path, "-in", certificateFile.path, "-name", alias,
                         "-passout", "env:\(passwordVariable)", "-out", output.path]
        if chain.count > 1 { arguments += ["-certfile", chainFile.path] }
        _ = try await tool("openssl", arguments)
        return output
    }

    /// The platform's keystore: the sandbox-issued `authentication` and encryption entries, and
    /// an older EC P-384 encryption key, in one legacy PKCS#12 file written by keytool.
    static func platformKeystore(from modern: URL, in folder: URL) async throws -> URL {
        let keystore = try Keystore(contentsOf: modern, password: FlowFixture.password)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var parts: [URL] = []
        // The key entries (the CA chain's trusted-certificate entries travel in the chains).
        for alias in keystore.aliases {
            let entry = try #require(keystore[alias])
            guard let key = entry.privateKey else { continue }
            parts.append(try await exportLegacy(key: key, chain: entry.certificateChain, alias: alias, in: folder))
        }
        let oldKey = folder.appendingPathComponent("old.key")
        let oldCertificate = folder.appendingPathComponent("old.crt")
        _ = try await tool("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                                       "-keyout", oldKey.path, "-out", oldCertificate.path, "-days", "1095",
                                       "-set_serial", oldSerial, "-subj", "/C=BE/O=Federal Government/OU=eHealth-platform Belgium/CN=SSIN=85073003328",
                                       "-addext", "keyUsage=critical,keyEncipherment,dataEncipherment"])
        let oldP12 = folder.appendingPathComponent("old.p12")
        _ = try await tool("openssl", ["pkcs12", "-export", "-legacy", "-inkey", oldKey.path, "-in", oldCertificate.path, "-name", oldSerial,
                                       "-passout", "env:\(passwordVariable)", "-out", oldP12.path])
        parts.append(oldP12)

        // keytool merges the entries and, in its legacy mode, writes what Java 8 reads.
        let merged = folder.appendingPathComponent("platform.p12")
        for part in parts {
            _ = try await tool("keytool", ["-J-Dkeystore.pkcs12.legacy", "-importkeystore", "-noprompt",
                                           "-srckeystore", part.path, "-srcstoretype", "PKCS12", "-srcstorepass:env", passwordVariable,
                                           "-destkeystore", merged.path, "-deststoretype", "PKCS12", "-deststorepass:env", passwordVariable])
        }
        return merged
    }

    @Test("a legacy 3DES/RC2-40 keystore with RSA and EC encryption keys: renewed, the old keys kept under their serial aliases, the new keystore as legacy")
    func renewFromPlatformKeystore() async throws {
        let folders = TestFolders()
        let copy = try await SandboxCopy.make(in: folders.root)
        let first = try await copy.start()
        let citizen = SandboxFixture.citizen("DUPONT", in: first)
        let created = try await CreateETKFlow.start(FlowFixture.request(.naturalPerson, folders: folders), endpoints: FlowFixture.endpoints(first),
                                                    workDirectory: folders.work)
            .run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(first, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
        await first.stop()

        // The platform's tools' file takes the place of ours.
        let platform = try await Self.platformKeystore(from: created.keystoreFile, in: folders.root.appendingPathComponent("tools"))
        let info = try await Self.tool("openssl", ["pkcs12", "-legacy", "-info", "-noout", "-in", platform.path, "-passin", "env:\(Self.passwordVariable)"])
        #expect(info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"))
        #expect(info.contains("pbeWithSHA1And40BitRC2-CBC"))
        #expect(info.contains("MAC: sha1"))
        try FileManager.default.removeItem(at: created.keystoreFile)
        try FileManager.default.copyItem(at: platform, to: created.keystoreFile)
        let old = try Keystore(contentsOf: created.keystoreFile, password: FlowFixture.password)
        #expect(Set(old.encryptionAliases) == [created.encryptionKeyAlias, Self.oldSerial])
        #expect(old[Self.oldSerial]?.privateKey?.algorithm == .ecP384)
        #expect(old.format?.keyEncryption == .tripleDESSHA1)

        // Inside the last 90 days of the certificate, by the sandbox's clock.
        let later = try await copy.start(clockOffsetDays: 1040)
        let settings = FlowFixture.settings(later, transport: try RecordingTransport())
        let renewal = try await CertificateRenewal.start(keystore: created.keystoreFile, password: FlowFixture.password,
                                                         endpoints: FlowFixture.endpoints(later), settings: settings, workDirectory: folders.work)
        let renewed = try await renewal.run(eID: FlowFixture.eID(citizen), keystorePassword: FlowFixture.password, settings: settings,
                                            reviewContract: FlowFixture.accept, progress: { _ in })
        await later.stop()

        #expect(try EHealthDistinguishedName(renewed.distinguishedName) == EHealthDistinguishedName(created.distinguishedName))
        #expect(renewed.replacesCertificate == (try PublicKeyIdentifier(certificate: created.authenticationCertificate)).hex)
        #expect(Set(renewed.keptEncryptionKeyAliases) == [created.encryptionKeyAlias, Self.oldSerial])
        let keystore = try Keystore(contentsOf: renewed.keystoreFile, password: FlowFixture.password)
        #expect(Set(keystore.encryptionAliases) == [created.encryptionKeyAlias, Self.oldSerial, renewed.encryptionKeyAlias])
        for alias in [created.encryptionKeyAlias, Self.oldSerial] {
            #expect(keystore[alias]?.privateKey == old[alias]?.privateKey, "the encryption key \(alias) is kept as it was")
            #expect(keystore[alias]?.certificate == old[alias]?.certificate)
        }
        let authentication = try #require(keystore[Keystore.authenticationAlias])
        #expect(authentication.certificate == renewed.authenticationCertificate)
        #expect(authentication.privateKey?.belongs(to: renewed.authenticationCertificate) == true)
        let etk = try #require(renewed.etk)
        #expect(etk.hasEncryptionKey(try #require(keystore[renewed.encryptionKeyAlias]?.privateKey).rsaEncryptionKey()))

        // The applications that read the old file (possibly on Java 8) read the new one too.
        #expect(keystore.format?.keyEncryption == .tripleDESSHA1)
        #expect(keystore.format?.certificateEncryption == .rc2With40BitSHA1)
        let listed = try await Self.tool("keytool", ["-list", "-keystore", renewed.keystoreFile.path, "-storetype", "PKCS12",
                                                     "-storepass:env", Self.passwordVariable])
        for alias in [Keystore.authenticationAlias, created.encryptionKeyAlias, Self.oldSerial, renewed.encryptionKeyAlias] {
            #expect(listed.contains("\(alias), "), "keytool lists \(alias)")
        }
    }
}
