import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

/// Cookbook 4.3.4.8: the encryption certificate is signed "with the same sign algorithm which was
/// used to generate the authentication certificate", whatever hash the eHealth CA chose, as the
/// platform's Java connector does; the key's own default is only the fallback.
@Suite struct EncryptionCertificateAlgorithmTests {
    let encryptionKey = IdentityFixtures.encryptionKey

    /// An RSA authentication key whose certificate the test eHealth CA signs with `algorithm`.
    func authentication(signedWith algorithm: Certificate.SignatureAlgorithm, keys: TestPKI.KeyKind = .rsa2048) throws -> SoftwareSigningKey {
        let (key, certificateKey) = try TestPKI.privateKey(keys)
        let certificate = try TestPKI.eHealthCA.issue(
            subject: try EHealthDistinguishedName(IdentityFixtures.personDN).distinguishedName, publicKey: certificateKey.publicKey,
            validity: TestPKI.validity, extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, keyEncipherment: true)) },
            signatureAlgorithm: algorithm)
        return try SoftwareSigningKey(key: key, certificateChain: [certificate] + TestPKI.eHealthCA.chainBelowRoot)
    }

    func challenge() throws -> Challenge {
        try Challenge(try Challenge.issue(for: encryptionKey.publicKey).bytes, encryptionKey: encryptionKey)
    }

    @Test(arguments: [Certificate.SignatureAlgorithm.sha384WithRSAEncryption, .sha512WithRSAEncryption, .sha256WithRSAEncryption])
    func takesTheAuthenticationCertificatesAlgorithm(_ algorithm: Certificate.SignatureAlgorithm) async throws {
        let authentication = try authentication(signedWith: algorithm)
        #expect(authentication.certificate.signatureAlgorithm == algorithm)
        let challenge = try challenge()
        let built = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: authentication)
        #expect(built.certificate.signatureAlgorithm == algorithm)
        #expect(authentication.certificate.publicKey.isValidSignature(built.certificate.signature, for: built.certificate))
        try built.check(challenge: challenge, authenticationCertificate: authentication.certificate, registeredPublicKey: encryptionKey.publicKey)

        // openssl agrees on the algorithm and the signature.
        let folder = try IdentityFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try IdentityFixtures.write(built.derEncoded, to: "encryption.der", in: folder)
        let text = try IdentityFixtures.openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-text"], in: folder)
        #expect(text.status == 0, "\(text.error)")
        let name = ["sha256WithRSAEncryption", "sha384WithRSAEncryption", "sha512WithRSAEncryption"].first { text.text.contains($0) }
        #expect(name.map { PlatformName(rawValue: $0)?.algorithm } == algorithm, "\(text.text)")
    }

    @Test func theKeysOwnAlgorithmIsRefusedWhenTheAuthenticationCertificateUsesAnother() async throws {
        let authentication = try authentication(signedWith: .sha512WithRSAEncryption)
        let challenge = try challenge()
        // As the code did before: the algorithm derived from the key type.
        let keyDefault = try SigningKeyCertificateSigner(authentication)
        #expect(keyDefault.signatureAlgorithm == .sha256WithRSAEncryption)
        let auth = authentication.certificate
        let wrong = try await Certificate(
            version: .v3, serialNumber: challenge.serialNumber, publicKey: try EncryptionCertificate.certificatePublicKey(encryptionKey.publicKey),
            notValidBefore: auth.notValidBefore, notValidAfter: auth.notValidAfter, issuer: auth.subject, subject: auth.subject,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: try Certificate.Extensions { Critical(EncryptionCertificate.keyUsage) },
            issuerAsyncPrivateKey: Certificate.PrivateKey(keyDefault))
        var serializer = DER.Serializer()
        try serializer.serialize(wrong)
        let error = #expect(throws: SecurityError.self) {
            try EncryptionCertificate(derEncoded: serializer.serializedBytes)
                .check(challenge: challenge, authenticationCertificate: auth, registeredPublicKey: encryptionKey.publicKey)
        }
        #expect(error?.code == .encryptionCertificateSignatureAlgorithmMismatch)
        #expect(error?.reason.contains("4.3.4.8") == true)
    }

    @Test func anAlgorithmOfTheOtherKeyFamilyFallsBackToTheKeysOwn() throws {
        // An EC P-384 authentication key certified by an RSA CA: it cannot sign sha256WithRSA.
        let ec = try authentication(signedWith: .sha256WithRSAEncryption, keys: .p384)
        #expect(try EncryptionCertificate.signatureAlgorithm(for: ec.certificate) == .ecdsaWithSHA384)
        let rsa = try authentication(signedWith: .sha384WithRSAEncryption)
        #expect(try EncryptionCertificate.signatureAlgorithm(for: rsa.certificate) == .sha384WithRSAEncryption)
    }

    @Test func softwareKeysSignOnlyWithinTheirFamily() async throws {
        let rsa = try authentication(signedWith: .sha256WithRSAEncryption)
        let data = Data("to be signed".utf8)
        let signature = try await rsa.sign(data, as: .sha512WithRSAEncryption)
        guard case .rsa(let key) = rsa.key else { Issue.record("RSA expected"); return }
        #expect(key.publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5))
        #expect(!key.publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5))
        await #expect(throws: SecurityError.self) { try await rsa.sign(data, as: .ecdsaWithSHA384) }
    }
}

/// openssl's names of the RSA algorithms.
private enum PlatformName: String {
    case sha256WithRSAEncryption, sha384WithRSAEncryption, sha512WithRSAEncryption

    var algorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .sha256WithRSAEncryption: .sha256WithRSAEncryption
        case .sha384WithRSAEncryption: .sha384WithRSAEncryption
        case .sha512WithRSAEncryption: .sha512WithRSAEncryption
        }
    }
}
