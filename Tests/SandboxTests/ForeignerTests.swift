import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// A new ETK for a foreigner (cookbook 4.3.7): submitCSRForForeigner, the validation page the
/// person opens and confirms, then getCertificate and the ETK as usual.
@Suite struct ForeignerTests {
    static let person = ActorType(id: [IdType(type: "SSIN", value: Sandboxed.foreignerBIS)], firstName: ["John"], name: "Smith")

    static func csr(_ key: _RSA.Signing.PrivateKey, name: String = "SMITH JOHN", ssin: String = Sandboxed.foreignerBIS) throws -> Data {
        let dn = try EHealthDistinguishedName.Builder().person(ssin: ssin).name(name).build()
        return Data(try EHealthCertificateSigningRequest(subject: dn, privateKey: key).derEncoded)
    }

    @Test func aForeignerConfirmsOnTheValidationPageAndGetsACertificateAndAnETK() async throws {
        try await SandboxFixture.with { fixture in
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            let before = Date()
            let submitted = try await fixture.certRA.submitCSRForForeigner(SubmitCSRForForeignerRequestType(
                issueInstant: .now, foreignPerson: Self.person, contactData: Sandboxed.contact, csr: try Self.csr(key)))
            let link = try #require(URL(string: try require(submitted.validationUrl, "ValidationUrl")))
            #expect(link.absoluteString.hasPrefix(fixture.sandbox.baseURL.absoluteString))
            let expires = try require(submitted.expirationDate, "ExpirationDate").date
            #expect(expires > before.addingTimeInterval(29 * 86_400) && expires < Date().addingTimeInterval(31 * 86_400))

            let csrKey = try Security.PublicKeyIdentifier(publicKey: Certificate.PublicKey(key.publicKey))
            let publicKeyIdentifier = try Generated.PublicKeyIdentifier(xmlText: csrKey.hex)
            // Nothing is certified before the person confirms.
            await expectRefusal(EHealthStatusError.notYetDeliveredCode) { try await fixture.getCertificate(publicKeyIdentifier) }

            let page = try await HTTP.send(link, method: "GET")
            #expect(page.status == 200)
            #expect(page.contentType?.hasPrefix("text/html") == true)
            #expect(page.text.contains("<form method=\"post\""), "\(page.text)")
            await expectRefusal(EHealthStatusError.notYetDeliveredCode) { try await fixture.getCertificate(publicKeyIdentifier) }

            let confirmed = try await HTTP.send(link, method: "POST")
            #expect(confirmed.status == 200)
            #expect(confirmed.text.contains(csrKey.hex), "\(confirmed.text)")

            let chain = try await fixture.certificateChain(publicKeyIdentifier)
            #expect(chain.first?.subject == (try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.foreignerBIS).name("SMITH JOHN").build().distinguishedName))
            let registered = try await fixture.registerETK(with: try SoftwareSigningKey(key: .rsa(key), certificateChain: chain))
            #expect(registered.response.toBeActivated == false)
            #expect(registered.etk.hasEncryptionKey(registered.encryptionKey))
        }
    }

    @Test func anUnknownValidationLinkIsNotFound() async throws {
        try await SandboxFixture.with { fixture in
            let link = fixture.sandbox.baseURL.appendingPathComponent("foreigner/validate/\(UUID().uuidString.lowercased())")
            let confirmed = try await HTTP.send(link, method: "POST")
            #expect(confirmed.status == 404)
            let page = try await HTTP.send(link, method: "GET")
            #expect(page.status == 404, "\(page.text)")
        }
    }

    @Test func anExpiredValidationLinkCannotBeConfirmed() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, foreignerValidationPeriod: 86_400)) { fixture in
            let submitted = try await fixture.certRA.submitCSRForForeigner(SubmitCSRForForeignerRequestType(
                issueInstant: .now, foreignPerson: Self.person, contactData: Sandboxed.contact,
                csr: try Self.csr(try EHealthCertificateSigningRequest.generatePrivateKey())))
            let path = try #require(URL(string: try require(submitted.validationUrl))).path
            let later = try await fixture.restarted(SandboxConfiguration(deliveryDelay: 0, clockOffset: 2 * 86_400, foreignerValidationPeriod: 86_400))
            let confirmed = try await HTTP.send(later.sandbox.baseURL.appendingPathComponent(path), method: "POST")
            #expect(confirmed.status == 404)
        }
    }

    @Test func aSubmissionWithoutABISNumberIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            // A Belgian SSIN is not a foreigner's.
            let belgian = ActorType(id: [IdType(type: "SSIN", value: Sandboxed.jean)], firstName: ["Jean"], name: "Dupont")
            await expectRefusal("CSR_INVALID_DN_INVALID") {
                try await fixture.certRA.submitCSRForForeigner(SubmitCSRForForeignerRequestType(
                    issueInstant: .now, foreignPerson: belgian, contactData: Sandboxed.contact,
                    csr: try Self.csr(try EHealthCertificateSigningRequest.generatePrivateKey(), name: "DUPONT JEAN", ssin: Sandboxed.jean)))
            }
        }
    }

    @Test func aSubmissionWhoseCSRNamesSomeoneElseIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            await expectRefusal("CSR_INVALID_DN_INVALID") {
                try await fixture.certRA.submitCSRForForeigner(SubmitCSRForForeignerRequestType(
                    issueInstant: .now, foreignPerson: Self.person, contactData: Sandboxed.contact,
                    csr: try Self.csr(try EHealthCertificateSigningRequest.generatePrivateKey(), name: "DOE JANE")))
            }
        }
    }
}
