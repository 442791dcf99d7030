import Foundation
import Security
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files: specific errors, no silent overwrite, atomic writes, 0600, password change.
@Suite("PKCS#12 keystore files")
struct KeystoreFileTests {
    static let password = "file-test-password"

    static func contentsOfFolder(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a rewritten keystore keeps its file mode; a new one is 0600")
    func rewriteKeepsTheMode() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("service.p12")
        try KeystoreTesting.keystore().write(to: file, password: Self.password)
        #expect(try Self.mode(file) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try Keystore.modify(at: file, password: Self.password) { _ in }
        #expect(try Self.mode(file) == 0o640)
        try Keystore.changePassword(of: file, from: Self.password, to: Self.password + "-new", overwrite: true)
        #expect(try Self.mode(file) == 0o640)
    }

    @Test("a wrong password gives KEYSTORE_WRONG_PASSWORD, for modern and legacy files")
    func wrongPassword() throws {
        let keystore = try KeystoreTesting.keystore()
        for format in [PKCS12Format.modern, .legacy] {
            let data = try keystore.pkcs12Data(password: Self.password, format: format)
            let error = #expect(throws: SecurityError.self) { try Keystore(pkcs12: data, password: "not-the-password") }
            #expect(error?.code == .keystoreWrongPassword)
        }
    }

    @Test("a truncated, empty or foreign file gives KEYSTORE_CORRUPT")
    func corruptFile() throws {
        let data = try KeystoreTesting.keystore().pkcs12Data(password: Self.password)
        for damaged in [data.prefix(data.count / 2), Data(), Data("-----BEGIN CERTIFICATE-----\nnot a keystore\n".utf8), Data(repeating: 0x30, count: 64)] {
            let error = #expect(throws: SecurityError.self) { try Keystore(pkcs12: Data(damaged), password: Self.password) }
            #expect(error?.code == .keystoreCorrupt)
        }
        // A flipped byte inside the protected contents is caught by the MAC.
        var altered = data
        altered[altered.count / 2] ^= 0x01
        let error = #expect(throws: SecurityError.self) { try Keystore(pkcs12: altered, password: Self.password) }
        #expect(error?.code == .keystoreWrongPassword || error?.code == .keystoreCorrupt)
    }

    @Test("a missing file gives KEYSTORE_READ_FAILED")
    func missingFile() throws {
        let error = #expect(throws: SecurityError.self) {
            try Keystore(contentsOf: URL(fileURLWithPath: "/nonexistent/ehealth/keystore.p12"), password: Self.password)
        }
        #expect(error?.code == .keystoreReadFailed)
    }

    @Test("writing creates a 0600 file, leaves no temporary file, and refuses to replace one unless asked")
    func refusesToOverwrite() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("store.p12")
        let keystore = try KeystoreTesting.keystore()
        try keystore.write(to: file, password: Self.password)
        #expect(try Self.mode(file) == 0o600)
        #expect(try Self.contentsOfFolder(folder) == ["store.p12"])
        let original = try Data(contentsOf: file)

        var other = Keystore()
        other.setCertificate(TestPKI.eHealthRoot.certificate, alias: "root")
        let error = #expect(throws: SecurityError.self) { try other.write(to: file, password: "other") }
        #expect(error?.code == .keystoreExists)
        #expect(try Data(contentsOf: file) == original)
        #expect(try Keystore(contentsOf: file, password: Self.password) == keystore)

        try other.write(to: file, password: "other", overwrite: true)
        #expect(try Keystore(contentsOf: file, password: "other") == other)
        #expect(try Self.mode(file) == 0o600)
        #expect(try Self.contentsOfFolder(folder) == ["store.p12"])
    }

    @Test("a write into a read-only folder fails with KEYSTORE_WRITE_FAILED and leaves nothing")
    func readOnlyFolder() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer {
            if getuid() == 0 { _ = try? KeystoreTesting.run("chattr", ["-i", folder.path]) }
            chmod(folder.path, 0o755)
            KeystoreTesting.remove(folder)
        }
        let existing = folder.appendingPathComponent("store.p12")
        let keystore = try KeystoreTesting.keystore()
        try keystore.write(to: existing, password: Self.password)
        let original = try Data(contentsOf: existing)
        // root ignores permission bits; the immutable attribute stops root too.
        if getuid() == 0 {
            let result = try KeystoreTesting.run("chattr", ["+i", folder.path])
            try #require(result.status == 0, "cannot make the folder read-only: \(result.output)")
        } else {
            try #require(chmod(folder.path, 0o555) == 0)
        }

        for (file, overwrite) in [(folder.appendingPathComponent("new.p12"), false), (existing, true)] {
            let error = #expect(throws: SecurityError.self) { try keystore.write(to: file, password: "new", overwrite: overwrite) }
            #expect(error?.code == .keystoreWriteFailed)
        }
        #expect(try Self.contentsOfFolder(folder) == ["store.p12"])
        #expect(try Data(contentsOf: existing) == original)
    }

    @Test("a failure after the temporary file is written removes it and keeps what was there")
    func failureAfterWriting() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        // The target name is taken by a folder: the final rename fails after the data is written.
        let target = folder.appendingPathComponent("store.p12")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        let error = #expect(throws: SecurityError.self) {
            try KeystoreTesting.keystore().write(to: target, password: Self.password, overwrite: true)
        }
        #expect(error?.code == .keystoreWriteFailed)
        #expect(try Self.contentsOfFolder(folder) == ["store.p12"])
        #expect(try Self.contentsOfFolder(target) == ["inside"])

        // A folder that does not exist.
        let missing = folder.appendingPathComponent("missing/store.p12")
        let second = #expect(throws: SecurityError.self) { try KeystoreTesting.keystore().write(to: missing, password: Self.password) }
        #expect(second?.code == .keystoreWriteFailed)
    }

    @Test("changePassword re-encrypts in place, keeps the entries and the legacy protection")
    func changePassword() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("store.p12")
        let keystore = try KeystoreTesting.keystore()
        try keystore.write(to: file, password: Self.password, format: .legacy)

        try Keystore.changePassword(of: file, from: Self.password, to: "new-password")
        let wrong = #expect(throws: SecurityError.self) { try Keystore(contentsOf: file, password: Self.password) }
        #expect(wrong?.code == .keystoreWrongPassword)
        let changed = try Keystore(contentsOf: file, password: "new-password")
        #expect(changed == keystore)
        #expect(changed.format?.isJava8Compatible == true)
        #expect(try Self.mode(file) == 0o600)
        #expect(try Self.contentsOfFolder(folder) == ["store.p12"])

        // A wrong old password changes nothing.
        let before = try Data(contentsOf: file)
        let refused = #expect(throws: SecurityError.self) { try Keystore.changePassword(of: file, from: "guess", to: "x") }
        #expect(refused?.code == .keystoreWrongPassword)
        #expect(try Data(contentsOf: file) == before)

        // To another file, which must not exist yet.
        let copy = folder.appendingPathComponent("copy.p12")
        try Keystore.changePassword(of: file, from: "new-password", to: "third", writingTo: copy, format: .modern)
        #expect(try Keystore(contentsOf: copy, password: "third").format == .modern)
        let exists = #expect(throws: SecurityError.self) {
            try Keystore.changePassword(of: file, from: "new-password", to: "fourth", writingTo: copy)
        }
        #expect(exists?.code == .keystoreExists)
    }

    @Test("adding an encryption key to a file keeps every key already in it")
    func addEncryptionKeyKeepsOthers() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("store.p12")
        let identity = KeystoreTesting.rsaIdentity
        try KeystoreTesting.keystore(identity).write(to: file, password: Self.password)
        let (key, certificate) = try KeystoreTesting.encryptionCertificate(for: identity.authentication)
        try Keystore.modify(at: file, password: Self.password) { keystore in
            try keystore.addEncryptionKey(KeystorePrivateKey(key), certificate: certificate)
        }
        let read = try Keystore(contentsOf: file, password: Self.password)
        #expect(Set(read.encryptionAliases) == [Keystore.alias(forEncryptionCertificate: identity.encryptionCertificate),
                                                Keystore.alias(forEncryptionCertificate: certificate)])
        #expect(read["authentication"]?.privateKey != nil)
        #expect(try read.encryptionKey(serialNumber: certificate.serialNumber) == KeystorePrivateKey(key))
        let missing = #expect(throws: SecurityError.self) {
            try read.encryptionKey(serialNumber: .init(bytes: [0x01, 0x02]))
        }
        #expect(missing?.code == .keystoreAliasNotFound)
    }
}
