import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct ETKTests {
    let authentication = IdentityFixtures.authentication
    let encryptionKey = IdentityFixtures.encryptionKey
    var chain: [Certificate] { [authentication.certificate, TestPKI.eHealthCA.certificate, TestPKI.eHealthRoot.certificate] }

    func encryptionCertificate() async throws -> EncryptionCertificate {
        let challenge = try Challenge(try Challenge.issue(for: encryptionKey.publicKey).bytes, encryptionKey: encryptionKey)
        return try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
    }

    @Test func readsBackTheETKTheSandboxSigned() async throws {
        let encryption = try await encryptionCertificate()
        let etk = try ETK(encryptionCertificate: encryption, etkRA: IdentityFixtures.etkRA, authenticationChain: chain)
        #expect(etk.encryptionCertificate == encryption)
        #expect(etk.encryptionCertificate.derEncoded == encryption.derEncoded)
        #expect(etk.signerCertificate == IdentityFixtures.etkRA.certificate)
        #expect(etk.otherCertificates == chain)
        #expect(etk.authenticationCertificate == authentication.certificate)
        #expect(etk.digestAlgorithm == ETK.sha256)
        #expect(etk.hasSignedAttributes)
        #expect(etk.validity == authentication.certificate.notValidBefore...authentication.certificate.notValidAfter)
        #expect(etk.hasEncryptionKey(encryptionKey))
        #expect(!etk.hasEncryptionKey(IdentityFixtures.otherEncryptionKey))
        let base64 = Data(etk.derEncoded).base64EncodedString(options: .lineLength76Characters)
        #expect(try ETK(base64Encoded: base64) == etk)
    }

    @Test func opensslYieldsTheEncryptionCertificate() async throws {
        let encryption = try await encryptionCertificate()
        let etk = try ETK(encryptionCertificate: encryption, etkRA: IdentityFixtures.etkRA, authenticationChain: chain)
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(etk.derEncoded, to: "etk.der", in: folder)

        let verify = try IdentityFixtures.openssl(
            ["cms", "-verify", "-inform", "DER", "-in", file.path, "-noverify", "-binary", "-out", "content.der", "-certsout", "certificates.pem"],
            in: folder)
        #expect(verify.status == 0, "\(verify.error)")
        #expect(verify.error.contains("Verification successful"))
        let content = try Data(contentsOf: folder.appendingPathComponent("content.der"))
        #expect(Array(content) == encryption.derEncoded)
        let certificates = try String(contentsOf: folder.appendingPathComponent("certificates.pem"), encoding: .utf8)
        #expect(certificates.components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1 == 4)

        // The content, as openssl sees it.
        let text = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", "content.der", "-noout", "-text"], in: folder)
        let lines = text.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let keyUsage = try #require(lines.firstIndex(of: "X509v3 Key Usage: critical"))
        #expect(lines[keyUsage + 1] == "Key Encipherment, Data Encipherment")

        // Signed attributes contentType and signingTime, SHA-256, id-data content.
        let printed = try IdentityFixtures.openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", file.path, "-noout"], in: folder)
        #expect(printed.status == 0, "\(printed.error)")
        #expect(printed.text.contains("eContentType: pkcs7-data"))
        #expect(printed.text.contains("algorithm: sha256"))
        #expect(printed.text.contains("object: contentType"))
        #expect(printed.text.contains("object: signingTime"))
        #expect(printed.text.contains("object: messageDigest"))
        #expect(!printed.text.contains("SMIMECapabilities"))

        // smime -pk7out (the other tool the issue names) reads it too.
        let pk7 = try IdentityFixtures.openssl(["smime", "-pk7out", "-inform", "DER", "-in", file.path, "-outform", "DER", "-out", "p7.der"], in: folder)
        #expect(pk7.status == 0, "\(pk7.error)")
    }

    @Test(arguments: [("sha1", true), ("sha1", false), ("sha256", false), ("sha256", true)])
    func readsETKsTheOpenSSLCLISigned(digest: String, signedAttributes: Bool) async throws {
        // Older ETKs: SHA-1 and no signed attributes; newer: SHA-256 with contentType and signingTime.
        let encryption = try await encryptionCertificate()
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try IdentityFixtures.write(encryption.derEncoded, to: "encryption.der", in: folder)
        let signer = try IdentityFixtures.write(Data(try TestPKI.pem(IdentityFixtures.etkRA.certificate).utf8), to: "etkra.pem", in: folder)
        guard case .rsa(let key) = IdentityFixtures.etkRA.key else { Issue.record("the test ETK-RA key is RSA"); return }
        let keyFile = try IdentityFixtures.write(Data(key.pkcs8PEMRepresentation.utf8), to: "etkra.key", in: folder)
        let chainPEM = try chain.map { try TestPKI.pem($0) }.joined(separator: "\n")
        let chainFile = try IdentityFixtures.write(Data(chainPEM.utf8), to: "chain.pem", in: folder)
        var arguments = ["cms", "-sign", "-binary", "-nodetach", "-nosmimecap", "-outform", "DER", "-in", content.path, "-out", "etk.der",
                         "-signer", signer.path, "-inkey", keyFile.path, "-certfile", chainFile.path, "-md", digest]
        if !signedAttributes { arguments.append("-noattr") }
        let run = try IdentityFixtures.openssl(arguments, in: folder)
        #expect(run.status == 0, "\(run.error)")

        let etk = try ETK(derEncoded: Data(contentsOf: folder.appendingPathComponent("etk.der")))
        #expect(etk.encryptionCertificate == encryption)
        #expect(etk.signerCertificate == IdentityFixtures.etkRA.certificate)
        #expect(etk.digestAlgorithm == (digest == "sha1" ? ETK.sha1 : ETK.sha256))
        #expect(etk.hasSignedAttributes == signedAttributes)
        #expect(etk.authenticationCertificate == authentication.certificate)
        #expect(Set(etk.otherCertificates.map { $0.subject }) == Set(chain.map { $0.subject }))
    }

    @Test func buildsOldStyleETKs() async throws {
        let etk = try ETK(encryptionCertificate: try await encryptionCertificate(), etkRA: IdentityFixtures.etkRA,
                          authenticationChain: chain, digest: .sha1, signedAttributes: false)
        #expect(etk.digestAlgorithm == ETK.sha1)
        #expect(!etk.hasSignedAttributes)
    }

    @Test func readsAnETKWhoseETKRACertificateExpired() async throws {
        let expired = try IdentityFixtures.etkRA(validity: Date(timeIntervalSinceNow: -86_400 * 400)...Date(timeIntervalSinceNow: -86_400 * 30))
        let encryption = try await encryptionCertificate()
        let etk = try ETK(encryptionCertificate: encryption, etkRA: expired, authenticationChain: chain)
        #expect(etk.signerCertificate.notValidAfter < Date())
        #expect(etk.encryptionCertificate == encryption)
    }

    @Test func theSignerChainsToTheEHealthRootEvenWhenExpired() async throws {
        let trust = CertificateTrust(roots: [TestPKI.eHealthRoot.certificate])
        let encryption = try await encryptionCertificate()
        try await ETK(encryptionCertificate: encryption, etkRA: IdentityFixtures.etkRA, authenticationChain: chain).validateSigner(with: trust)
        let expired = try IdentityFixtures.etkRA(validity: Date(timeIntervalSinceNow: -86_400 * 400)...Date(timeIntervalSinceNow: -86_400 * 30))
        try await ETK(encryptionCertificate: encryption, etkRA: expired, authenticationChain: chain).validateSigner(with: trust)
    }

    @Test func aSignerOutsideTheEHealthPKIIsRefused() async throws {
        // Signed by a key whose certificate the eID root issued: the signature verifies, the signer is not the ETK-RA's PKI.
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try TestPKI.citizenCA.issue(
            subject: try EHealthDistinguishedNameTestsSupport.x509("CN=ETK-RA,OU=eHealth-platform Belgium,O=Federal Government,C=BE"),
            publicKey: Certificate.PublicKey(key.publicKey), validity: TestPKI.validity,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) })
        let signer = try SoftwareSigningKey(key: .rsa(key), certificateChain: [certificate] + TestPKI.citizenCA.chainBelowRoot)
        let etk = try ETK(encryptionCertificate: try await encryptionCertificate(), etkRA: signer, authenticationChain: chain)
        let error = await #expect(throws: SecurityError.self) {
            try await etk.validateSigner(with: CertificateTrust(roots: [TestPKI.eHealthRoot.certificate]))
        }
        #expect(error?.code == .etkSignerUntrusted)
    }

    @Test func readsAnETKWithAnECP384EncryptionCertificate() async throws {
        let ecAuthentication = try TestPKI.eHealthAuthentication(dn: try EHealthDistinguishedName(IdentityFixtures.personDN).distinguishedName, keys: .p384)
        let challenge = try Challenge(try Challenge.issue(for: encryptionKey.publicKey).bytes, encryptionKey: encryptionKey)
        let ecEncryption = P384.Signing.PrivateKey()
        let encryption = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: Certificate.PublicKey(ecEncryption.publicKey), authenticationKey: ecAuthentication)
        let etk = try ETK(encryptionCertificate: encryption, etkRA: IdentityFixtures.etkRA,
                          authenticationChain: [ecAuthentication.certificate, TestPKI.eHealthCA.certificate, TestPKI.eHealthRoot.certificate])
        #expect(etk.hasEncryptionKey(Certificate.PublicKey(ecEncryption.publicKey)))
        #expect(etk.authenticationCertificate == ecAuthentication.certificate)
        #expect(etk.encryptionCertificate.certificate.signatureAlgorithm == .ecdsaWithSHA384)
    }

    @Test func doesNotRepeatTheETKRACertificate() async throws {
        let etk = try ETK(encryptionCertificate: try await encryptionCertificate(), etkRA: IdentityFixtures.etkRA,
                          authenticationChain: [IdentityFixtures.etkRA.certificate] + chain)
        #expect(etk.otherCertificates == chain)
    }

    // MARK: - Rejections

    @Test func rejectsAnAlteredEncryptionCertificate() async throws {
        let encryption = try await encryptionCertificate()
        for signedAttributes in [true, false] {
            let etk = try ETK(encryptionCertificate: encryption, etkRA: IdentityFixtures.etkRA, authenticationChain: chain, signedAttributes: signedAttributes)
            var bytes = etk.derEncoded
            let offset = try #require(firstIndex(of: encryption.derEncoded, in: bytes))
            bytes[offset + encryption.derEncoded.count / 2] ^= 0x01
            let error = #expect(throws: SecurityError.self) { try ETK(derEncoded: bytes) }
            #expect(error?.code == .etkSignatureInvalid, "\(error?.description ?? "accepted")")
        }
    }

    @Test func rejectsAnAlteredSignature() async throws {
        let etk = try ETK(encryptionCertificate: try await encryptionCertificate(), etkRA: IdentityFixtures.etkRA, authenticationChain: chain)
        var bytes = etk.derEncoded
        bytes[bytes.count - 1] ^= 0x01  // the signature is the SignedData's last field
        let error = #expect(throws: SecurityError.self) { try ETK(derEncoded: bytes) }
        #expect(error?.code == .etkSignatureInvalid)
    }

    @Test func rejectsWhatIsNoETK() throws {
        let garbage = #expect(throws: SecurityError.self) { try ETK(derEncoded: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(garbage?.code == .etkMalformed)
        let notBase64 = #expect(throws: SecurityError.self) { try ETK(base64Encoded: "!!!") }
        #expect(notBase64?.code == .etkMalformed)

        // A certificates-only SignedData: no content, no signer.
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = try IdentityFixtures.write(Data(try TestPKI.pem(authentication.certificate).utf8), to: "auth.pem", in: folder)
        let run = try IdentityFixtures.openssl(["crl2pkcs7", "-nocrl", "-certfile", certificate.path, "-outform", "DER", "-out", "certs.p7"], in: folder)
        #expect(run.status == 0, "\(run.error)")
        let certificatesOnly = #expect(throws: SecurityError.self) { try ETK(derEncoded: Data(contentsOf: folder.appendingPathComponent("certs.p7"))) }
        #expect(certificatesOnly?.code == .etkMalformed)
    }

    @Test func rejectsSignedDataWhoseContentIsNoCertificate() throws {
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try IdentityFixtures.write(Data("not a certificate".utf8), to: "content.txt", in: folder)
        let signer = try IdentityFixtures.write(Data(try TestPKI.pem(IdentityFixtures.etkRA.certificate).utf8), to: "etkra.pem", in: folder)
        guard case .rsa(let key) = IdentityFixtures.etkRA.key else { Issue.record("the test ETK-RA key is RSA"); return }
        let keyFile = try IdentityFixtures.write(Data(key.pkcs8PEMRepresentation.utf8), to: "etkra.key", in: folder)
        let run = try IdentityFixtures.openssl(["cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", content.path, "-out", "etk.der",
                                                "-signer", signer.path, "-inkey", keyFile.path], in: folder)
        #expect(run.status == 0, "\(run.error)")
        let error = #expect(throws: SecurityError.self) { try ETK(derEncoded: Data(contentsOf: folder.appendingPathComponent("etk.der"))) }
        #expect(error?.code == .etkMalformed)
    }

    private func firstIndex(of part: [UInt8], in bytes: [UInt8]) -> Int? {
        guard part.count <= bytes.count else { return nil }
        return (0...(bytes.count - part.count)).first { Array(bytes[$0..<($0 + part.count)]) == part }
    }
}
