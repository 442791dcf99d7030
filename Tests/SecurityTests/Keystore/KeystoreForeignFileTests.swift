import Crypto
import Foundation
import Security
import Testing
import X509

/// Keystores written by other tools: OpenSSL's -legacy export (the platform's algorithms) and
/// Java keytool, both its Java 17 default and its legacy (Java 8 era) choices.
@Suite("PKCS#12 keystores from openssl and keytool")
struct KeystoreForeignFileTests {
    static let password = "changeit-123"

    @Test("a file without a MAC (openssl pkcs12 -export -nomac) is refused")
    func fileWithoutMAC() async throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = KeystoreTesting.rsaIdentity
        let keyFile = folder.appendingPathComponent("key.pem")
        let certificateFile = folder.appendingPathComponent("cert.pem")
        guard case .rsa(let rsa) = identity.authentication.key else { Issue.record("RSA expected"); return }
        try rsa.pkcs8PEMRepresentation.write(to: keyFile, atomically: true, encoding: .utf8)
        try KeystoreTesting.pem([identity.authentication.certificate]).write(to: certificateFile, atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("nomac.p12")
        let export = try KeystoreTesting.run("openssl", [
            "pkcs12", "-export", "-nomac", "-inkey", keyFile.path, "-in", certificateFile.path,
            "-name", "authentication", "-out", file.path, "-passout", "pass:\(Self.password)",
        ])
        try #require(export.status == 0, "\(export.output)")
        let error = #expect(throws: SecurityError.self) { try Keystore(contentsOf: file, password: Self.password) }
        #expect(error?.code == .keystoreCorrupt)
        #expect(error?.reason.contains("MAC") == true)
    }

    @Test("reads a legacy file made by openssl pkcs12 -export -legacy, chain and alias included")
    func opensslLegacyExport() async throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = KeystoreTesting.rsaIdentity
        let keyFile = folder.appendingPathComponent("key.pem")
        let certificateFile = folder.appendingPathComponent("cert.pem")
        let chainFile = folder.appendingPathComponent("chain.pem")
        guard case .rsa(let rsa) = identity.authentication.key else { Issue.record("RSA expected"); return }
        try rsa.pkcs8PEMRepresentation.write(to: keyFile, atomically: true, encoding: .utf8)
        try KeystoreTesting.pem([identity.authentication.certificate]).write(to: certificateFile, atomically: true, encoding: .utf8)
        try KeystoreTesting.pem([TestPKI.eHealthCA.certificate, TestPKI.eHealthRoot.certificate]).write(to: chainFile, atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("legacy.p12")
        let export = try KeystoreTesting.run("openssl", [
            "pkcs12", "-export", "-legacy", "-inkey", keyFile.path, "-in", certificateFile.path, "-certfile", chainFile.path,
            "-name", "authentication", "-iter", "50000", "-out", file.path, "-passout", "pass:\(Self.password)",
        ])
        try #require(export.status == 0, "\(export.output)")

        let keystore = try Keystore(contentsOf: file, password: Self.password)
        #expect(keystore.aliases == ["authentication"])
        #expect(keystore.format?.keyEncryption == .tripleDESSHA1)
        #expect(keystore.format?.certificateEncryption == .rc2With40BitSHA1)
        #expect(keystore.format?.mac == .sha1)
        #expect(keystore.format?.iterations == 50000)
        #expect(keystore["authentication"]?.certificateChain ==
            [identity.authentication.certificate, TestPKI.eHealthCA.certificate, TestPKI.eHealthRoot.certificate])
        let signer = try keystore.authenticationKey()
        // SigningKey chains stop below the root.
        #expect(signer.certificateChain == identity.authentication.certificateChain)
        let message = Data("request".utf8)
        #expect(KeystoreTesting.verify(try await signer.sign(message), over: message, with: signer.certificate))
    }

    @Test("reads keystores keytool generates, its default and its legacy algorithms, RSA and EC P-384",
          arguments: [("RSA", false), ("RSA", true), ("EC", false), ("EC", true)])
    func keytoolGenerated(algorithm: String, legacy: Bool) async throws {
        try #require(KeystoreTesting.toolExists("keytool"), "keytool (Java) is not installed")
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("java.p12")
        var arguments = legacy ? ["-J-Dkeystore.pkcs12.legacy"] : []
        arguments += ["-genkeypair", "-alias", "authentication", "-dname", "CN=SSIN\\=85210123617,O=Federal Government,C=BE",
                      "-validity", "30", "-storetype", "PKCS12", "-keystore", file.path,
                      "-storepass", Self.password, "-keypass", Self.password]
        arguments += algorithm == "RSA" ? ["-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA"]
                                        : ["-keyalg", "EC", "-groupname", "secp384r1", "-sigalg", "SHA384withECDSA"]
        let generated = try KeystoreTesting.run("keytool", arguments)
        try #require(generated.status == 0, "\(generated.output)")

        let keystore = try Keystore(contentsOf: file, password: Self.password)
        #expect(keystore.aliases == ["authentication"])
        let expectedKeyEncryption: PKCS12Format.KeyEncryption = legacy ? .tripleDESSHA1 : .aes256PBKDF2
        #expect(keystore.format?.keyEncryption == expectedKeyEncryption)
        #expect(keystore.format?.mac == (legacy ? .sha1 : .sha256))
        if legacy {
            #expect(keystore.format?.certificateEncryption == .rc2With40BitSHA1)
        }
        let key = try #require(keystore["authentication"]?.privateKey)
        #expect(key.algorithm == (algorithm == "RSA" ? .rsa(bits: 2048) : .ecP384))
        let signer = try keystore.authenticationKey()
        #expect(try signer.signatureAlgorithm == (algorithm == "RSA" ? .rsaSHA256 : .ecdsaSHA384))
        let message = Data("<ds:SignedInfo/>".utf8)
        #expect(KeystoreTesting.verify(try await signer.sign(message), over: message, with: signer.certificate))

        // What we write back (in the file's own protection) is still Java's to read.
        let copy = folder.appendingPathComponent("copy.p12")
        try keystore.write(to: copy, password: Self.password, format: keystore.format ?? .modern)
        let listed = try KeystoreTesting.run("keytool", ["-list", "-storetype", "PKCS12", "-keystore", copy.path, "-storepass", Self.password])
        #expect(listed.status == 0 && listed.output.contains("authentication"), "\(listed.output)")
    }

    /// Issue 13: a rewrite took its iteration count from the old file (here 50,000).
    @Test("a rewrite never writes fewer than 100,000 iterations, whatever the file it was read from had")
    func rewriteRaisesTheIterationCount() async throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = KeystoreTesting.rsaIdentity
        let keyFile = folder.appendingPathComponent("key.pem")
        let certificateFile = folder.appendingPathComponent("cert.pem")
        guard case .rsa(let rsa) = identity.authentication.key else { Issue.record("RSA expected"); return }
        try rsa.pkcs8PEMRepresentation.write(to: keyFile, atomically: true, encoding: .utf8)
        try KeystoreTesting.pem([identity.authentication.certificate]).write(to: certificateFile, atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("weak.p12")
        let export = try KeystoreTesting.run("openssl", [
            "pkcs12", "-export", "-inkey", keyFile.path, "-in", certificateFile.path, "-name", "authentication",
            "-iter", "2048", "-out", file.path, "-passout", "pass:\(Self.password)",
        ])
        try #require(export.status == 0, "\(export.output)")
        #expect(try Keystore(contentsOf: file, password: Self.password).format?.iterations == 2048)

        try Keystore.changePassword(of: file, from: Self.password, to: Self.password + "-new")
        let info = try KeystoreTesting.run("openssl", ["pkcs12", "-in", file.path, "-info", "-noout", "-passin", "pass:\(Self.password)-new"])
        try #require(info.status == 0, "\(info.output)")
        // Every iteration count openssl reports (MAC, keys, certificates) is the floor or more.
        let counts = info.output.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "Iteration ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(!counts.isEmpty, "\(info.output)")
        #expect(counts.allSatisfy { $0 >= 100_000 }, "\(info.output)")
    }

    /// Issue 13: a rewrite silently dropped the bags it does not know.
    @Test("a keystore that also holds a secret entry (keytool -genseckey) is read, but never rewritten: the error names the entry")
    func unkeptBagsStopARewrite() async throws {
        try #require(KeystoreTesting.toolExists("keytool"), "keytool (Java) is not installed")
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("java.p12")
        let store = ["-storetype", "PKCS12", "-keystore", file.path, "-storepass", Self.password, "-keypass", Self.password]
        let generated = try KeystoreTesting.run("keytool", ["-genkeypair", "-alias", "authentication", "-dname", "CN=SSIN\\=85210123617,O=Federal Government,C=BE",
                                                            "-keyalg", "RSA", "-keysize", "2048", "-validity", "30"] + store)
        try #require(generated.status == 0, "\(generated.output)")
        let secret = try KeystoreTesting.run("keytool", ["-genseckey", "-alias", "shared-secret", "-keyalg", "AES", "-keysize", "128"] + store)
        try #require(secret.status == 0, "\(secret.output)")
        let before = try Data(contentsOf: file)

        let keystore = try Keystore(contentsOf: file, password: Self.password)
        #expect(keystore.aliases == ["authentication"])
        #expect(keystore.unkeptParts == ["a secret entry ('shared-secret')"])
        let error = #expect(throws: SecurityError.self) {
            try Keystore.changePassword(of: file, from: Self.password, to: Self.password + "-new")
        }
        #expect(error?.code == .keystoreUnsupported)
        #expect(error?.reason.contains("a secret entry ('shared-secret')") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: file) == before)
        #expect(throws: SecurityError.self) { try keystore.pkcs12Data(password: Self.password) }
    }
}
