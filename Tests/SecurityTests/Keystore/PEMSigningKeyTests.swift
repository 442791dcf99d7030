import _CryptoExtras
import Crypto
import Foundation
import Security
import Testing

/// PEM key + certificate files into a SoftwareSigningKey.
@Suite("PEM private keys and certificates")
struct PEMSigningKeyTests {
    /// A key in each PEM form openssl writes, with its certificate chain.
    static func forms(of identity: SoftwareSigningKey, in folder: URL) throws -> [(String, String, String?)] {
        let plain = folder.appendingPathComponent("key.pem")
        switch identity.key {
        case .rsa(let key): try key.pkcs8PEMRepresentation.write(to: plain, atomically: true, encoding: .utf8)
        case .p384(let key): try key.pemRepresentation.write(to: plain, atomically: true, encoding: .utf8)
        case .p256(let key): try key.pemRepresentation.write(to: plain, atomically: true, encoding: .utf8)
        }
        func openssl(_ arguments: [String]) throws -> String {
            let result = try KeystoreTesting.run("openssl", arguments)
            try #require(result.status == 0, "\(result.output)")
            return result.output
        }
        let traditional: String
        if case .rsa = identity.key {
            traditional = try openssl(["rsa", "-in", plain.path, "-traditional"])
        } else {
            traditional = try openssl(["ec", "-in", plain.path])
        }
        let encrypted = try openssl(["pkcs8", "-topk8", "-in", plain.path, "-v2", "aes-256-cbc", "-passout", "pass:pem-password"])
        return [
            ("PKCS#8", try String(contentsOf: plain, encoding: .utf8), nil),
            ("traditional", traditional, nil),
            ("encrypted PKCS#8", encrypted, "pem-password"),
        ]
    }

    @Test("PKCS#8, PKCS#1/SEC1 and encrypted PKCS#8 keys load and sign, RSA and EC P-384", arguments: [false, true])
    func loadsAndSigns(ec: Bool) async throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = ec ? KeystoreTesting.ecIdentity.authentication : KeystoreTesting.rsaIdentity.authentication
        // The chain file holds the root too, in no particular order: the root is left out.
        let chain = try KeystoreTesting.pem([TestPKI.eHealthRoot.certificate] + identity.certificateChain.reversed())
        for (form, pem, password) in try Self.forms(of: identity, in: folder) {
            if form == "traditional" {
                #expect(pem.contains(ec ? "BEGIN EC PRIVATE KEY" : "BEGIN RSA PRIVATE KEY"))
            }
            let signer = try SoftwareSigningKey(pemPrivateKey: pem, password: password, certificatesPEM: chain)
            #expect(signer.certificateChain == identity.certificateChain, "\(form)")
            let message = Data("payload \(form)".utf8)
            #expect(KeystoreTesting.verify(try await signer.sign(message), over: message, with: identity.certificate), "\(form)")
        }
    }

    @Test("an encrypted PEM key without or with a wrong password gives a specific error")
    func encryptedKeyErrors() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = KeystoreTesting.rsaIdentity.authentication
        let encrypted = try #require(Self.forms(of: identity, in: folder).first { $0.0 == "encrypted PKCS#8" }?.1)
        let chain = try KeystoreTesting.pem(identity.certificateChain)
        let missing = #expect(throws: SecurityError.self) { try SoftwareSigningKey(pemPrivateKey: encrypted, certificatesPEM: chain) }
        #expect(missing?.code == .privateKeyPasswordRequired)
        let wrong = #expect(throws: SecurityError.self) { try SoftwareSigningKey(pemPrivateKey: encrypted, password: "nope", certificatesPEM: chain) }
        #expect(wrong?.code == .privateKeyWrongPassword)
        let garbage = #expect(throws: SecurityError.self) { try KeystorePrivateKey(pemRepresentation: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        #expect(garbage?.code == .invalidPrivateKey)
    }

    @Test("a PEM key with somebody else's certificate is refused")
    func foreignCertificate() throws {
        guard case .rsa(let key) = KeystoreTesting.rsaIdentity.authentication.key else { Issue.record("RSA expected"); return }
        let other = try KeystoreTesting.pem(KeystoreTesting.ecIdentity.authentication.certificateChain)
        let error = #expect(throws: SecurityError.self) { try SoftwareSigningKey(pemPrivateKey: key.pkcs8PEMRepresentation, certificatesPEM: other) }
        #expect(error?.code == .keystoreKeyMismatch)
    }

    @Test("files load the same way")
    func fromFiles() async throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let identity = KeystoreTesting.ecIdentity.authentication
        let keyFile = folder.appendingPathComponent("auth.key")
        let certificateFile = folder.appendingPathComponent("auth.crt")
        guard case .p384(let key) = identity.key else { Issue.record("P-384 expected"); return }
        try key.pemRepresentation.write(to: keyFile, atomically: true, encoding: .utf8)
        try KeystoreTesting.pem(identity.certificateChain).write(to: certificateFile, atomically: true, encoding: .utf8)
        let signer = try SoftwareSigningKey(privateKeyFile: keyFile, certificateFile: certificateFile)
        #expect(try signer.signatureAlgorithm == .ecdsaSHA384)
        let message = Data("x".utf8)
        #expect(KeystoreTesting.verify(try await signer.sign(message), over: message, with: identity.certificate))
    }
}
