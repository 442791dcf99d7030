import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509

/// startETKRegistration and completeETKRegistration (cookbook 4.3.4.7-4.3.4.9, chapter 7.1):
/// who may sign them, the encryption certificate rules, one ETK per authentication certificate.
@Suite struct ETKRegistrationRuleTests {
    @Test func startETKRegistrationSignedWithAnEIDKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            // Cookbook 4.3.4.7: an authentication certificate not issued by the CA of eHealth.
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA") {
                try await fixture.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: jean.authentication)
            }
        }
    }

    @Test func startETKRegistrationSignedWithACertificateFromElsewhereIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            // A certificate with a proper eHealth DN, from a CA that is not the sandbox's eHealth CA.
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let dn = try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.jean).name("DUPONT JEAN").build().distinguishedName
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400),
                issuer: dn, subject: dn, signatureAlgorithm: .sha256WithRSAEncryption,
                extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, keyEncipherment: true)) },
                issuerPrivateKey: Certificate.PrivateKey(key))
            let stranger = try SoftwareSigningKey(key: .rsa(key), certificateChain: [certificate])
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA") {
                try await fixture.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: stranger)
            }
        }
    }

    @Test func completeETKRegistrationChecksTheEncryptionCertificate() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            let key = try issued.signingKey
            let encryptionKey = try EncryptionCertificate.generatePrivateKey()
            let challenge = try await fixture.startETKRegistration(encryptionKey: encryptionKey, signedWith: key)
            let authentication = issued.certificate
            let encryptionPublicKey = try Certificate.PublicKey(derEncoded: Array(encryptionKey.publicKey.derRepresentation))

            func certificate(serial: Certificate.SerialNumber = challenge.serialNumber, subject: DistinguishedName? = nil,
                             publicKey: Certificate.PublicKey? = nil, signedBy signer: _RSA.Signing.PrivateKey? = nil) throws -> [UInt8] {
                let made = try Certificate(
                    version: .v3, serialNumber: serial, publicKey: publicKey ?? encryptionPublicKey,
                    notValidBefore: authentication.notValidBefore, notValidAfter: authentication.notValidAfter,
                    issuer: authentication.subject, subject: subject ?? authentication.subject,
                    signatureAlgorithm: .sha256WithRSAEncryption,
                    extensions: try Certificate.Extensions { Critical(EncryptionCertificate.keyUsage) },
                    issuerPrivateKey: Certificate.PrivateKey(signer ?? issued.privateKey))
                var serializer = DER.Serializer()
                try serializer.serialize(made)
                return serializer.serializedBytes
            }

            await expectRefusal("ETK_ENCRYPTION_CERTIFICATE_SERIAL_MISMATCH") {
                try await fixture.completeETKRegistration(try certificate(serial: Certificate.SerialNumber()), signedWith: key)
            }
            let otherSubject = try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.eleonore).name("MULLER-LEFEVRE ELEONORE").build().distinguishedName
            await expectRefusal("ETK_ENCRYPTION_CERTIFICATE_SUBJECT_MISMATCH") {
                try await fixture.completeETKRegistration(try certificate(subject: otherSubject), signedWith: key)
            }
            await expectRefusal("ETK_ENCRYPTION_CERTIFICATE_SIGNATURE_INVALID") {
                try await fixture.completeETKRegistration(try certificate(signedBy: try EHealthCertificateSigningRequest.generatePrivateKey()), signedWith: key)
            }
            let otherKey = try Certificate.PublicKey(derEncoded: Array(try EncryptionCertificate.generatePrivateKey().publicKey.derRepresentation))
            await expectRefusal("PUBLIC_KEY_NOT_YET_REGISTERED") {
                try await fixture.completeETKRegistration(try certificate(publicKey: otherKey), signedWith: key)
            }
            await expectRefusal("ETK_ENCRYPTION_CERTIFICATE_INVALID") {
                try await fixture.completeETKRegistration(Array("not a certificate".utf8), signedWith: key)
            }
            // Signed (as an XML request) by an eID instead of the authentication key.
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_NOT_ISSUED_BY_EHEALTH_CA") {
                try await fixture.completeETKRegistration(try certificate(), signedWith: try fixture.citizen(Sandboxed.jean).authentication)
            }

            // The refusals left the registration open: the right certificate completes it.
            let completed = try await fixture.completeETKRegistration(try certificate(), signedWith: key)
            #expect(completed.toBeActivated == false)
            let etk = try ETK(derEncoded: try require(completed.etk, "ETK"))
            #expect(etk.hasEncryptionKey(encryptionKey))
            #expect(etk.authenticationCertificate == authentication)
            #expect(etk.signerCertificate.subject.description.contains("ETK-RA"))
        }
    }

    @Test func completeETKRegistrationSignedByAnotherAuthenticationKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let personal = try await fixture.obtainCertificate(for: jean)
            let organization = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE, organizationName: Sandboxed.dupontName)
            let encryptionKey = try EncryptionCertificate.generatePrivateKey()
            let challenge = try await fixture.startETKRegistration(encryptionKey: encryptionKey, signedWith: try personal.signingKey)
            let encryptionCertificate = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: encryptionKey.publicKey,
                                                                        authenticationKey: try personal.signingKey)
            // The request signed with the organization's key, which started no registration.
            await expectRefusal("PUBLIC_KEY_NOT_YET_REGISTERED") {
                try await fixture.completeETKRegistration(encryptionCertificate.derEncoded, signedWith: try organization.signingKey)
            }
        }
    }

    @Test func completeETKRegistrationWithoutStartIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            await expectRefusal("PUBLIC_KEY_NOT_YET_REGISTERED") {
                try await fixture.completeETKRegistration(Array("anything".utf8), signedWith: try issued.signingKey)
            }
        }
    }

    @Test func aSecondETKForTheSameAuthenticationCertificateIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            let registered = try await fixture.registerETK(issued)
            #expect(registered.response.toBeActivated == false)
            await expectRefusal("VALID_ETK_ALREADY_EXISTS") {
                try await fixture.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: try issued.signingKey)
            }
            let info = try await fixture.certificateInfo(issued)
            #expect(info.etkStatus == .validActive)
            #expect(info.authenticationCertificateStatus == .validActive)
        }
    }

    @Test func aPublicEncryptionKeyThatIsNoRSAKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            await expectRefusal("PUBLIC_KEY_NOT_VALID") {
                try await fixture.etkRA.startETKRegistration(try await Sandboxed.signer.sign({ signature in
                    StartETKRegistrationRequestType(issueInstant: .now, publicEncryptionKey: Data("not a key".utf8), signature: signature)
                }, with: try issued.signingKey))
            }
        }
    }

    @Test func theETKOfAnExpiredAuthenticationCertificateIsRefused() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 10 * 86_400)) { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            let later = try await fixture.restarted(SandboxConfiguration(deliveryDelay: 0, clockOffset: 11 * 86_400, certificateLifetime: 10 * 86_400))
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_EXPIRED") {
                try await later.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: try issued.signingKey)
            }
        }
    }

    @Test func theETKOfAnAuthenticationCertificateNotYetValidIsRefused() async throws {
        // Issued while the sandbox's clock is ten days ahead, used with the clock back to today.
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, clockOffset: 10 * 86_400)) { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            let earlier = try await fixture.restarted(SandboxConfiguration(deliveryDelay: 0))
            await expectRefusal("ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID") {
                try await earlier.startETKRegistration(encryptionKey: try EncryptionCertificate.generatePrivateKey(), signedWith: try issued.signingKey)
            }
        }
    }
}
