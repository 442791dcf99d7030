import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

@Suite struct ChallengeTests {
    let key = IdentityFixtures.encryptionKey

    @Test func theClientRecoversTheSerialNumberTheSandboxChose() throws {
        let issued = try Challenge.issue(for: key.publicKey)
        #expect(issued.bytes.count == 256 + 32)
        #expect(Array(issued.bytes.suffix(32)) == Array(SHA256.hash(data: issued.challenge.serialNumberBytes)))
        let answered = try Challenge(issued.bytes, encryptionKey: key)
        #expect(answered == issued.challenge)
        #expect(answered.serialNumberBytes.count == 16)
        // Random: two challenges differ.
        #expect(try Challenge.issue(for: key.publicKey).challenge != issued.challenge)
    }

    @Test func theSerialNumberIsAlwaysPositive() throws {
        let serial: [UInt8] = [0x80] + Array(repeating: 0x01, count: 15)
        let challenge = try Challenge(try Challenge.issue(for: key.publicKey, serialNumberBytes: serial).bytes, encryptionKey: key)
        #expect(Array(challenge.serialNumber.bytes) == serial)
        // DER INTEGER: 17 content bytes, the first 0x00, so the top bit does not make it negative.
        var serializer = DER.Serializer()
        try serializer.serialize(challenge.serialNumber.bytes)
        #expect(serializer.serializedBytes == [0x02, 0x11, 0x00] + serial)
    }

    @Test func theKeystoreAliasIsTheDecimalSerialNumber() throws {
        func alias(_ serial: [UInt8]) throws -> String {
            try Challenge(try Challenge.issue(for: key.publicKey, serialNumberBytes: serial).bytes, encryptionKey: key).keystoreAlias
        }
        #expect(try alias(Array(repeating: 0, count: 15) + [1]) == "1")
        #expect(try alias(Array(repeating: 0xFF, count: 16)) == "340282366920938463463374607431768211455") // 2^128 - 1
        #expect(try alias([0x01] + Array(repeating: 0, count: 15)) == "1329227995784915872903807060280344576")  // 2^120
        #expect(try alias(Array(repeating: 0, count: 14) + [0x30, 0x39]) == "12345")
    }

    @Test func answersAChallengeTheOpenSSLCLIMade() throws {
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let publicKey = try IdentityFixtures.write(Data(key.publicKey.pemRepresentation.utf8), to: "public.pem", in: folder)
        let serial: [UInt8] = (0..<16).map { UInt8($0 * 17) }
        // RSA/ECB/PKCS1Padding, as the platform's Java code encrypts.
        let encrypted = try IdentityFixtures.openssl(
            ["pkeyutl", "-encrypt", "-pubin", "-inkey", publicKey.path, "-pkeyopt", "rsa_padding_mode:pkcs1"],
            in: folder, input: Data(serial))
        #expect(encrypted.status == 0, "\(encrypted.error)")
        let digest = try IdentityFixtures.openssl(["dgst", "-sha256", "-binary"], in: folder, input: Data(serial))
        let challenge = try Challenge(encrypted.output + digest.output, encryptionKey: key)
        #expect(challenge.serialNumberBytes == serial)
    }

    @Test func theOpenSSLCLIAnswersAChallengeTheSandboxMade() throws {
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let privateKey = try IdentityFixtures.write(Data(key.pkcs8PEMRepresentation.utf8), to: "key.pem", in: folder)
        let issued = try Challenge.issue(for: key.publicKey)
        let decrypted = try IdentityFixtures.openssl(
            ["pkeyutl", "-decrypt", "-inkey", privateKey.path, "-pkeyopt", "rsa_padding_mode:pkcs1"],
            in: folder, input: Data(issued.bytes.dropLast(32)))
        #expect(decrypted.status == 0, "\(decrypted.error)")
        #expect(Array(decrypted.output) == issued.challenge.serialNumberBytes)
    }

    @Test func takesTheFirst16BytesOfALongerPlaintext() throws {
        let serial: [UInt8] = Array(1...16)
        let encrypted = try key.publicKey.encrypt(serial + [0xAA, 0xBB, 0xCC, 0xDD], padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        let challenge = try Challenge(Array(encrypted) + Array(SHA256.hash(data: serial)), encryptionKey: key)
        #expect(challenge.serialNumberBytes == serial)
    }

    // MARK: - Rejections

    @Test func rejectsADigestThatDoesNotMatch() throws {
        var bytes = try Challenge.issue(for: key.publicKey).bytes
        bytes[bytes.count - 1] ^= 0x01
        let error = #expect(throws: SecurityError.self) { try Challenge(bytes, encryptionKey: key) }
        #expect(error?.code == .challengeDigestMismatch)
    }

    @Test func rejectsADigestOfTheWholePlaintext() throws {
        // H must be SHA-256 of the 16 serial bytes, not of everything decrypted.
        let plaintext: [UInt8] = Array(1...20)
        let encrypted = try key.publicKey.encrypt(plaintext, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        let error = #expect(throws: SecurityError.self) { try Challenge(Array(encrypted) + Array(SHA256.hash(data: plaintext)), encryptionKey: key) }
        #expect(error?.code == .challengeDigestMismatch)
    }

    @Test func rejectsAChallengeForAnotherKey() throws {
        let bytes = try Challenge.issue(for: IdentityFixtures.otherEncryptionKey.publicKey).bytes
        let error = #expect(throws: SecurityError.self) { try Challenge(bytes, encryptionKey: key) }
        // PKCS#1 v1.5 padding almost always fails; if it happens to pass, the digest cannot match.
        #expect(error?.code == .challengeDecryptionFailed || error?.code == .challengeDigestMismatch)
    }

    @Test func rejectsCiphertextOfTheWrongLength() throws {
        let bytes = Array(repeating: UInt8(7), count: 100) + Array(SHA256.hash(data: [1]))
        let error = #expect(throws: SecurityError.self) { try Challenge(bytes, encryptionKey: key) }
        #expect(error?.code == .challengeDecryptionFailed)
    }

    @Test func rejectsAPlaintextShorterThanASerialNumber() throws {
        let short: [UInt8] = Array(1...8)
        let encrypted = try key.publicKey.encrypt(short, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)
        let error = #expect(throws: SecurityError.self) { try Challenge(Array(encrypted) + Array(SHA256.hash(data: short)), encryptionKey: key) }
        #expect(error?.code == .challengeMalformed)
    }

    @Test func rejectsTooFewBytes() {
        let error = #expect(throws: SecurityError.self) { try Challenge(Array(repeating: UInt8(0), count: 32), encryptionKey: key) }
        #expect(error?.code == .challengeMalformed)
    }

    @Test func theSandboxRefusesKeysStartETKRegistrationDoesNotTake() throws {
        let small = try _RSA.Encryption.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let error = #expect(throws: SecurityError.self) { try Challenge.issue(for: small.publicKey) }
        #expect(error?.code == .encryptionKeyInvalid)
        let notAKey = #expect(throws: SecurityError.self) { try Challenge.issue(forPublicEncryptionKey: [0x30, 0x00]) }
        #expect(notAKey?.code == .encryptionKeyInvalid)
        let ec = #expect(throws: SecurityError.self) { try Challenge.issue(forPublicEncryptionKey: P384.Signing.PrivateKey().publicKey.derRepresentation) }
        #expect(ec?.code == .encryptionKeyInvalid)
        // The SubjectPublicKeyInfo of an RSA 2048 key is what PublicEncryptionKey carries.
        let issued = try Challenge.issue(forPublicEncryptionKey: key.publicKey.derRepresentation)
        #expect(try Challenge(issued.bytes, encryptionKey: key) == issued.challenge)
        let badSerial = #expect(throws: SecurityError.self) { try Challenge.issue(for: key.publicKey, serialNumberBytes: [1, 2, 3]) }
        #expect(badSerial?.code == .challengeMalformed)
    }
}
