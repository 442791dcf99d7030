import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct EncryptionCertificateTests {
    let authentication = IdentityFixtures.authentication
    let encryptionKey = IdentityFixtures.encryptionKey
    var registeredKey: Certificate.PublicKey { get throws { try EncryptionCertificate.certificatePublicKey(encryptionKey.publicKey) } }

    func issuedChallenge() throws -> Challenge {
        try Challenge(try Challenge.issue(for: encryptionKey.publicKey).bytes, encryptionKey: encryptionKey)
    }

    // MARK: - The builder

    @Test func isBuiltExactlyAsTheProtocolSays() async throws {
        let challenge = try issuedChallenge()
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        let certificate = built.certificate
        let auth = authentication.certificate
        #expect(certificate.version == .v3)
        #expect(certificate.serialNumber == challenge.serialNumber)
        #expect(certificate.subject == auth.subject)
        #expect(certificate.issuer == auth.subject)
        #expect(certificate.notValidBefore == auth.notValidBefore)
        #expect(certificate.notValidAfter == auth.notValidAfter)
        #expect(certificate.publicKey == (try registeredKey))
        #expect(certificate.signatureAlgorithm == auth.signatureAlgorithm)
        #expect(certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        #expect(Array(certificate.extensions).count == 1)
        #expect(certificate.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try certificate.extensions.keyUsage == KeyUsage(keyEncipherment: true, dataEncipherment: true))
        #expect(auth.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(try Certificate(derEncoded: built.derEncoded) == certificate)
        #expect(built.keystoreAlias == challenge.keystoreAlias)
        try built.check(challenge: challenge, authenticationCertificate: auth, registeredPublicKey: encryptionKey.publicKey)
    }

    @Test func opensslShowsTheCriticalKeyUsage() async throws {
        let challenge = try issuedChallenge()
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(built.derEncoded, to: "encryption.der", in: folder)
        let run = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-text", "-nameopt", "RFC2253"], in: folder)
        #expect(run.status == 0, "\(run.error)")
        let lines = run.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let keyUsage = try #require(lines.firstIndex(of: "X509v3 Key Usage: critical"))
        #expect(lines[keyUsage + 1] == "Key Encipherment, Data Encipherment")
        #expect(lines.contains("Version: 3 (0x2)"))
        #expect(lines.contains("Signature Algorithm: sha256WithRSAEncryption"))
        #expect(lines.contains("Public-Key: (2048 bit)"))
        let dn = "CN=SSIN=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN=85210123617,O=Federal Government,C=BE"
        #expect(lines.contains("Issuer: \(dn)"))
        #expect(lines.contains("Subject: \(dn)"))
        // The serial, as openssl prints it, is the challenge's.
        let serial = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-serial"], in: folder)
        let hex = challenge.serialNumber.bytes.map { String(format: "%02X", $0) }.joined()
        #expect(serial.text.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(hex)")
    }

    @Test func aSerialWithTheTopBitSetStaysPositive() async throws {
        let serial: [UInt8] = [0xF0] + Array(repeating: 0x0F, count: 15)
        let challenge = try Challenge(try Challenge.issue(for: encryptionKey.publicKey, serialNumberBytes: serial).bytes, encryptionKey: encryptionKey)
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(built.derEncoded, to: "encryption.der", in: folder)
        let run = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-serial"], in: folder)
        // A negative serial would print with a minus sign.
        #expect(run.text.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=F00F0F0F0F0F0F0F0F0F0F0F0F0F0F0F")
        #expect(contains(built.derEncoded, [0x02, 0x11, 0x00] + serial))
    }

    @Test func signsWithAKeyThatSignsAsynchronously() async throws {
        let challenge = try issuedChallenge()
        let slow = AsynchronousSigningKey(inner: authentication)
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: slow)
        #expect(await slow.signatures.count == 1)
        try built.check(challenge: challenge, authenticationCertificate: authentication.certificate, registeredPublicKey: encryptionKey.publicKey)
    }

    @Test func signsWithAnECP384AuthenticationKey() async throws {
        let ecAuthentication = try TestPKI.eHealthAuthentication(dn: try EHealthDistinguishedName(IdentityFixtures.personDN).distinguishedName, keys: .p384)
        let challenge = try issuedChallenge()
        let ecEncryption = Certificate.PublicKey(P384.Signing.PrivateKey().publicKey)
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: ecEncryption, authenticationKey: ecAuthentication)
        #expect(built.certificate.signatureAlgorithm == .ecdsaWithSHA384)
        try built.check(challenge: challenge, authenticationCertificate: ecAuthentication.certificate, registeredPublicKey: ecEncryption)
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(built.derEncoded, to: "encryption.der", in: folder)
        let run = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-text"], in: folder)
        #expect(run.text.contains("Signature Algorithm: ecdsa-with-SHA384"))
        #expect(run.text.contains("Key Encipherment, Data Encipherment"))
    }

    // MARK: - The sandbox's checker

    @Test func refusesAnotherSerialNumber() async throws {
        let built = try await EncryptionCertificate(challenge: try issuedChallenge(), encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        try expectCheck(built, fails: .encryptionCertificateSerialMismatch, challenge: try issuedChallenge())
    }

    @Test func refusesACertificateOfAnotherAuthenticationKey() async throws {
        let challenge = try issuedChallenge()
        let stranger = try TestPKI.eHealthAuthentication(dn: try EHealthDistinguishedName.Builder().person(ssin: "85010112387").name("Other").build().distinguishedName)
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: stranger)
        try expectCheck(built, fails: .encryptionCertificateSubjectMismatch, challenge: challenge)
    }

    @Test func refusesEachFieldThatIsNotTheProtocols() throws {
        let challenge = try issuedChallenge()
        let auth = authentication.certificate
        let keyUsage = try Certificate.Extensions { Critical(EncryptionCertificate.keyUsage) }
        func forge(serial: Certificate.SerialNumber? = nil, publicKey: Certificate.PublicKey? = nil, notBefore: Date? = nil, notAfter: Date? = nil,
                   issuer: DistinguishedName? = nil, extensions: Certificate.Extensions? = nil,
                   signer: Certificate.PrivateKey? = nil) throws -> EncryptionCertificate {
            let certificate = try Certificate(
                version: .v3, serialNumber: serial ?? challenge.serialNumber, publicKey: publicKey ?? (try registeredKey),
                notValidBefore: notBefore ?? auth.notValidBefore, notValidAfter: notAfter ?? auth.notValidAfter,
                issuer: issuer ?? auth.subject, subject: auth.subject, signatureAlgorithm: .sha256WithRSAEncryption,
                extensions: extensions ?? keyUsage, issuerPrivateKey: signer ?? Certificate.PrivateKey(IdentityFixtures.authenticationPrivateKey))
            return try EncryptionCertificate(derEncoded: IdentityFixtures.der(certificate))
        }
        // The forger itself makes a certificate the checker accepts.
        try forge().check(challenge: challenge, authenticationCertificate: auth, registeredPublicKey: encryptionKey.publicKey)

        try expectCheck(try forge(issuer: TestPKI.eHealthCA.name), fails: .encryptionCertificateIssuerMismatch, challenge: challenge)
        try expectCheck(try forge(notBefore: auth.notValidBefore.addingTimeInterval(1)), fails: .encryptionCertificateValidityMismatch, challenge: challenge)
        try expectCheck(try forge(notAfter: auth.notValidAfter.addingTimeInterval(-86_400)), fails: .encryptionCertificateValidityMismatch, challenge: challenge)
        try expectCheck(try forge(extensions: Certificate.Extensions()), fails: .encryptionCertificateKeyUsageInvalid, challenge: challenge)
        try expectCheck(try forge(extensions: try Certificate.Extensions { EncryptionCertificate.keyUsage }), fails: .encryptionCertificateKeyUsageInvalid, challenge: challenge)
        try expectCheck(try forge(extensions: try Certificate.Extensions { Critical(KeyUsage(keyEncipherment: true)) }), fails: .encryptionCertificateKeyUsageInvalid, challenge: challenge)
        try expectCheck(try forge(extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, keyEncipherment: true, dataEncipherment: true)) }), fails: .encryptionCertificateKeyUsageInvalid, challenge: challenge)
        let other = try EncryptionCertificate.certificatePublicKey(IdentityFixtures.otherEncryptionKey.publicKey)
        try expectCheck(try forge(publicKey: other), fails: .publicKeyNotYetRegistered, challenge: challenge)
        let strangerKey = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)))
        try expectCheck(try forge(signer: strangerKey), fails: .encryptionCertificateSignatureInvalid, challenge: challenge)
    }

    @Test func refusesATamperedSignature() async throws {
        let challenge = try issuedChallenge()
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        var bytes = built.derEncoded
        bytes[bytes.count - 1] ^= 0x01
        try expectCheck(try EncryptionCertificate(derEncoded: bytes), fails: .encryptionCertificateSignatureInvalid, challenge: challenge)
    }

    @Test func refusesWhenTheAuthenticationCertificateIsNotValidThen() async throws {
        let challenge = try issuedChallenge()
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        let auth = authentication.certificate
        try expectCheck(built, fails: .authenticationCertificateExpired, challenge: challenge, at: auth.notValidAfter.addingTimeInterval(1))
        try expectCheck(built, fails: .authenticationCertificateNotYetValid, challenge: challenge, at: auth.notValidBefore.addingTimeInterval(-1))
    }

    @Test func refusesBytesThatAreNoCertificate() {
        let error = #expect(throws: SecurityError.self) { try EncryptionCertificate(derEncoded: [0x30, 0x00]) }
        #expect(error?.code == .encryptionCertificateInvalid)
    }

    // MARK: - Helpers

    private func expectCheck(_ certificate: EncryptionCertificate, fails code: SecurityError.Code, challenge: Challenge, at time: Date = Date(),
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = #expect(throws: SecurityError.self, sourceLocation: sourceLocation) {
            try certificate.check(challenge: challenge, authenticationCertificate: authentication.certificate,
                                  registeredPublicKey: encryptionKey.publicKey, at: time)
        }
        #expect(error?.code == code, "\(error?.description ?? "accepted")", sourceLocation: sourceLocation)
    }

    private func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }
}

/// A SigningKey that suspends before signing, like a token or an HSM, and records its use.
actor SignatureLog {
    var count = 0
    func record() { count += 1 }
}

struct AsynchronousSigningKey: SigningKey {
    let inner: SoftwareSigningKey
    let log = SignatureLog()
    var certificateChain: [Certificate] { inner.certificateChain }
    var signatures: SignatureLog { log }

    func sign(_ data: Data) async throws -> Data {
        await Task.yield()
        await log.record()
        return try inner.signSynchronously(data)
    }
}
