import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// Who must sign what (protocol-facts "Operations, SOAP actions and who signs", cookbook 4.3.2
/// and 4.3.4.1): the strict verifier, the key each operation requires, the signer's SSIN.
@Suite struct SignatureRuleTests {
    static let getActorQualities = CertRaV2Client.Operations.getActorQualities

    @Test func getActorQualitiesSignedWithTheCitizensAuthenticationKeyIsAnswered() async throws {
        try await SandboxFixture.with { fixture in
            let qualities = try await fixture.actorQualities(of: try fixture.citizen(Sandboxed.jean))
            #expect(qualities.status.statusCode.value == EHealthStatus.successCode)
            #expect(qualities.naturalPersonAuthorization == true)
            #expect(qualities.organizationAuthorization.map(\.identifier) == [Sandboxed.dupontCBE, IdType(type: "NIHII-HOSPITAL", value: "71000436")])
            #expect(qualities.organizationAuthorization.first?.name.value.map(\.language.xmlText) == ["fr", "nl"])
        }
    }

    @Test func anUnsignedRequestIsRefusedByTheSchema() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let signed = try await Sandboxed.signer.sign({ signature in
                GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: jean.ssin), signature: signature)
            }, with: jean.authentication)
            let envelope = try SOAPEnvelope.request(body: Self.getActorQualities.inputElement, signed)
            let unsigned = try Self.removingSignature(from: envelope)
            let response = try await fixture.post(unsigned, to: .certRA, soapAction: Self.getActorQualities.soapAction)
            // The XSD makes ds:Signature mandatory: schema validation refuses the message first.
            let fault = try SOAPFaultTests.expectFault(response, code: "SOA-03001")
            #expect(fault?.soaError?.preferredMessage?.text.contains("Signature") == true)
        }
    }

    @Test func aSignedRequestAlteredAfterSigningIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let signed = try await Sandboxed.signer.sign({ signature in
                GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: jean.ssin), signature: signature)
            }, with: jean.authentication)
            let envelope = try SOAPEnvelope.request(body: Self.getActorQualities.inputElement, signed)
            // The signed request as sent is answered...
            let answered = try await fixture.post(envelope, to: .certRA, soapAction: Self.getActorQualities.soapAction)
            #expect(try GetActorQualitiesResponseType(xmlElement: SOAPEnvelope.parse(answered.body).payload).naturalPersonAuthorization == true)
            // ...one changed after signing is not.
            let altered = envelope.replacingOccurrences(of: ">\(jean.ssin)<", with: ">\(Sandboxed.eleonore)<")
            #expect(altered != envelope)
            let status = try Self.refusal(try await fixture.post(altered, to: .certRA, soapAction: Self.getActorQualities.soapAction), Self.getActorQualities)
            #expect(status.errors.map(\.code) == ["XMLDSIG_CONTENT_ALTERED"])
        }
    }

    @Test func getActorQualitiesForAnotherPersonsSSINIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("SIGNER_IS_NOT_THE_ACTOR") {
                try await fixture.actorQualities(of: jean, ssin: Sandboxed.eleonore)
            }
        }
    }

    @Test func getActorQualitiesSignedWithTheSignatureKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("SIGNATURE_KEY_NOT_ALLOWED") {
                try await fixture.actorQualities(of: jean, signedWith: jean.signature)
            }
        }
    }

    @Test func generateCertificateSignedWithTheAuthenticationKeyIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let contract = try await fixture.contract(signedBy: jean)
            let key = try EHealthCertificateSigningRequest.generatePrivateKey()
            await expectRefusal("SIGNATURE_KEY_NOT_ALLOWED") {
                try await fixture.generateCertificate(contract: contract, privateKey: key, signedBy: jean, with: jean.authentication)
            }
            // The same request signed with the Signature key is accepted.
            let accepted = try await fixture.generateCertificate(contract: contract, privateKey: key, signedBy: jean)
            #expect(accepted.publicKeyIdentifier != nil)
        }
    }

    @Test func generateCertificateSignedByAnotherPersonThanTheContractsSignerIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let eleonore = try fixture.citizen(Sandboxed.eleonore)
            let contract = try await fixture.contract(signedBy: jean)
            await expectRefusal("SIGNER_IS_NOT_THE_CONTRACT_SIGNER") {
                try await fixture.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(),
                                                      signedBy: eleonore)
            }
        }
    }

    @Test func aSignerOutsideTheSandboxPKIIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            // A self-made "eID" certificate with Jean's SSIN, from a CA the sandbox does not trust.
            let impostor = try Self.selfSignedEID(ssin: Sandboxed.jean)
            let jean = try fixture.citizen(Sandboxed.jean)
            await expectRefusal("XMLDSIG_UNTRUSTED_CHAIN") {
                try await fixture.actorQualities(of: jean, signedWith: impostor)
            }
        }
    }

    /// Issue 13: the sandbox's own chain check accepted SHA-1-signed certificates. It now goes
    /// through the client's verifier (CertificateTrust): an eID certificate from the sandbox's own
    /// citizen CA, Jean's SSIN and all, is refused when that CA signed it with SHA-1.
    @Test func anEIDCertificateSignedWithSHA1IsRefused() async throws {
        try await SandboxFixture.with { fixture in
            // The CA's key as `ehcert-sandbox init` saved it (SandboxPKI: alias "ca", password "sandbox-ca").
            let keystore = try Keystore(contentsOf: fixture.directory.appendingPathComponent("ca/citizen-ca.p12"), password: "sandbox-ca")
            guard case .privateKey(let caKey, let caChain)? = keystore["ca"], let caCertificate = caChain.first,
                  case .rsa(let rawCAKey) = try caKey.signingKey() else {
                Issue.record("no RSA CA key in citizen-ca.p12")
                return
            }
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            let subject = DistinguishedName(Array(try DistinguishedName { CountryName("BE"); CommonName("Jean DUPONT (Authentication)") }) + [
                RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 5], printableString: Sandboxed.jean)),
            ])
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: Date().addingTimeInterval(-86_400), notValidAfter: Date().addingTimeInterval(86_400),
                issuer: caCertificate.subject, subject: subject, signatureAlgorithm: .sha1WithRSAEncryption,
                extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) },
                issuerPrivateKey: Certificate.PrivateKey(rawCAKey))
            let signer = try SoftwareSigningKey(key: .rsa(key), certificateChain: [certificate, caCertificate])
            let jean = try fixture.citizen(Sandboxed.jean)
            let refusal = await expectRefusal("XMLDSIG_UNTRUSTED_CHAIN") {
                try await fixture.actorQualities(of: jean, signedWith: signer)
            }
            #expect(refusal?.errors.first?.message.contains("no longer accepted") == true, "\(String(describing: refusal))")
        }
    }

    @Test func theECP384CitizenSignsWithECDSASHA384() async throws {
        try await SandboxFixture.with { fixture in
            let an = try fixture.citizen(Sandboxed.an)
            #expect(try an.authentication.signatureAlgorithm.uri == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384")
            let qualities = try await fixture.actorQualities(of: an)
            #expect(qualities.naturalPersonAuthorization == true)
            #expect(qualities.organizationAuthorization.isEmpty)
            // And her generateCertificate, signed with her EC Signature key, is accepted.
            let issued = try await fixture.obtainCertificate(for: an)
            #expect(issued.certificate.subject == (try EHealthDistinguishedName(issued.contract.dn).distinguishedName))
        }
    }

    // MARK: helpers

    /// The request element without its ds:Signature (whatever prefix it got).
    static func removingSignature(from envelope: String) throws -> String {
        let pattern = try NSRegularExpression(pattern: "<([A-Za-z0-9_]+:)?Signature[ >].*</\\1?Signature>", options: [.dotMatchesLineSeparators])
        let range = NSRange(envelope.startIndex..., in: envelope)
        let stripped = pattern.stringByReplacingMatches(in: envelope, range: range, withTemplate: "")
        #expect(stripped != envelope && !stripped.contains("SignatureValue"))
        return stripped
    }

    /// The eHealth status of a response that must be a refusal of `operation`.
    static func refusal<Input, Output>(_ response: SOAPHTTPResponse, _ operation: SOAPOperation<Input, Output>,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws -> EHealthStatus {
        #expect(response.statusCode == 200, sourceLocation: sourceLocation)
        let payload = try SOAPEnvelope.parse(response.body).payload
        #expect(payload.name == operation.outputElement, sourceLocation: sourceLocation)
        let status = try #require(try EHealthStatus.read(from: payload), sourceLocation: sourceLocation)
        #expect(!status.isSuccess, sourceLocation: sourceLocation)
        return status
    }

    static func selfSignedEID(ssin: String) throws -> SoftwareSigningKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName {
            CountryName("BE")
            CommonName("Jean DUPONT (Authentication)")
        }
        let subject = DistinguishedName(Array(name) + [
            RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 5], printableString: ssin)),
        ])
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-86_400), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return try SoftwareSigningKey(key: .rsa(key), certificateChain: [certificate])
    }
}
