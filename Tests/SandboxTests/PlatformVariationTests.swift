import _CryptoExtras
import Crypto
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509

/// The sandbox's platform variations (issue 15): the contract DN in either string form (and
/// either accepted back), another PublicKeyIdentifier, another CA signature algorithm, and
/// certificates valid only later.
@Suite struct PlatformVariationTests {
    @Test("generateContract writes the cookbook's form; the escaped form is accepted back as the same DN")
    func cookbookFormByDefault() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            var contract = try await fixture.contract(signedBy: jean)
            #expect(contract.dn == "CN=SSIN=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN=85073003328,O=Federal Government,C=BE")
            // As the Java connector sends it back.
            contract.dn = contract.dn.replacingOccurrences(of: "SSIN=", with: "SSIN\\=")
            let generated = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                                  signedBy: jean)
            #expect(generated.publicKeyIdentifier != nil)
        }
    }

    @Test("with the escaped form configured, the cookbook form is accepted back too; another DN still is not")
    func escapedFormConfigured() async throws {
        var configuration = SandboxConfiguration(deliveryDelay: 0)
        configuration.contractDistinguishedNameForm = .escaped
        try await SandboxFixture.with(configuration) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            #expect(contract.dn == "CN=SSIN\\=85073003328,OU=eHealth-platform Belgium,OU=DUPONT JEAN,OU=SSIN\\=85073003328,O=Federal Government,C=BE")
            var other = contract
            other.dn = other.dn.replacingOccurrences(of: "DUPONT JEAN", with: "DUPONT PIERRE")
            await expectRefusal("CONTRACT_NOT_VALID") {
                try await fixture.generateCertificate(contract: other, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
            var bare = contract
            bare.dn = bare.dn.replacingOccurrences(of: "\\=", with: "=")
            _ = try await fixture.generateCertificate(contract: bare, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
        }
    }

    @Test("another PublicKeyIdentifier: generateCertificate answers it, getCertificate takes it (and the cookbook's)")
    func otherPublicKeyIdentifier() async throws {
        var configuration = SandboxConfiguration(deliveryDelay: 0)
        configuration.variations.publicKeyIdentifierAnswer = .subjectPublicKeyInfo
        try await SandboxFixture.with(configuration) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let generated = try await fixture.generateCertificate(contract: contract, privateKey: key, signedBy: jean)
            let answered = try #require(generated.publicKeyIdentifier)
            let publicKey = Certificate.PublicKey(key.publicKey)
            var serializer = DER.Serializer()
            try serializer.serialize(publicKey)
            #expect(answered.hex == Insecure.SHA1.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined())
            let ours = try Security.PublicKeyIdentifier(publicKey: publicKey)
            #expect(answered.hex != ours.hex)
            let chain = try await fixture.certificateChain(answered)
            #expect(chain.first?.publicKey == publicKey)
            let again = try await fixture.certificateChain(try Generated.PublicKeyIdentifier(xmlText: ours.hex))
            #expect(again.first == chain.first)
        }
    }

    @Test("the CA's signature algorithm, and ETK_ENCRYPTION_CERTIFICATE_SIGNATURE_ALGORITHM_MISMATCH for another")
    func certificateSignatureAlgorithm() async throws {
        var configuration = SandboxConfiguration(deliveryDelay: 0)
        configuration.variations.certificateSignatureAlgorithm = .sha384WithRSAEncryption
        try await SandboxFixture.with(configuration) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            let authentication = try #require(issued.chain.first)
            #expect(authentication.signatureAlgorithm == .sha384WithRSAEncryption)
            let key = try SoftwareSigningKey(key: .rsa(issued.privateKey), certificateChain: Array(issued.chain.prefix(2)))
            let encryptionKey = try EncryptionCertificate.generatePrivateKey()
            let challenge = try await fixture.startETKRegistration(encryptionKey: encryptionKey, signedWith: key)
            // Signed with the key's own SHA-256, as before cookbook 4.3.4.8 was followed.
            let auth = key.certificate
            let wrong = try Certificate(
                version: .v3, serialNumber: challenge.serialNumber,
                publicKey: Certificate.PublicKey(try _RSA.Signing.PublicKey(derRepresentation: encryptionKey.publicKey.derRepresentation)),
                notValidBefore: auth.notValidBefore, notValidAfter: auth.notValidAfter, issuer: auth.subject, subject: auth.subject,
                signatureAlgorithm: .sha256WithRSAEncryption, extensions: try Certificate.Extensions { Critical(EncryptionCertificate.keyUsage) },
                issuerPrivateKey: Certificate.PrivateKey(issued.privateKey))
            var serializer = DER.Serializer()
            try serializer.serialize(wrong)
            await expectRefusal("ETK_ENCRYPTION_CERTIFICATE_SIGNATURE_ALGORITHM_MISMATCH") {
                try await fixture.completeETKRegistration(serializer.serializedBytes, signedWith: key)
            }
            let right = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey, authenticationKey: key)
            #expect(right.certificate.signatureAlgorithm == .sha384WithRSAEncryption)
            let completed = try await fixture.completeETKRegistration(right.derEncoded, signedWith: key)
            #expect(completed.etk != nil)
        }
    }

    @Test("a certificate valid later: getCertificate withholds it with AUTH_CERT_NOT_YET_VALID and the date")
    func withheldUntilValid() async throws {
        var configuration = SandboxConfiguration(deliveryDelay: 0)
        configuration.variations.certificateValidityDelay = 3600
        configuration.variations.withholdsCertificateUntilValid = true
        try await SandboxFixture.with(configuration) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let generated = try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                                  signedBy: jean)
            let refusal = await expectRefusal("AUTH_CERT_NOT_YET_VALID") {
                try await fixture.getCertificate(try #require(generated.publicKeyIdentifier))
            }
            let validFrom = try #require(refusal?.errors.first?.parameters.first { $0.name == "validFrom" }?.value)
            let date = try #require(ISO8601DateFormatter().date(from: validFrom))
            #expect(abs(date.timeIntervalSinceNow - 3600) < 120)
            #expect(refusal?.errors.first?.message.contains("valid from \(validFrom)") == true)
        }
    }
}
