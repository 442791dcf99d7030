import _CryptoExtras
import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// Every response of every operation, success and refusal, is valid against the official XSDs
/// (issue 4: "Every response valid against the official XSDs"). `SandboxFixture.with` checks
/// what each test recorded; this suite makes sure all fourteen operations are among them.
@Suite(.enabled(if: OfficialSchemas.available, OfficialSchemas.skipReason))
struct SchemaConformanceTests {
    @Test func theValidatorRefusesWhatTheSchemasRefuse() throws {
        let soap = SOAPEnvelope.namespace
        let certra = "urn:be:fgov:ehealth:certra:protocol:v2"
        func envelope(_ payload: String) -> Data {
            Data(#"<soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Body>\#(payload)</soapenv:Body></soapenv:Envelope>"#.utf8)
        }
        // A response without its required Status.
        let noStatus = envelope(#"<GetGenericOrganizationTypesResponse xmlns="\#(certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"/>"#)
        #expect(try !OfficialSchemas.violations(ofEnvelope: noStatus).isEmpty)
        // An element no schema declares.
        let unknown = envelope(#"<GetWeatherResponse xmlns="\#(certra)"/>"#)
        #expect(try !OfficialSchemas.violations(ofEnvelope: unknown).isEmpty)
        // A fault whose SOA error has an Environment outside the enumeration.
        let badEnvironment = envelope(#"<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>x</faultstring><detail><soa:BusinessError xmlns:soa="urn:be:fgov:ehealth:errors:soa:v1"><Origin>Consumer</Origin><Code>SOA-03001</Code><Message xml:lang="en">x</Message><soa:Environment>Sandbox</soa:Environment></soa:BusinessError></detail></soapenv:Fault>"#)
        #expect(try !OfficialSchemas.violations(ofEnvelope: badEnvironment).isEmpty)
        // A fault without faultstring.
        let noFaultString = envelope(#"<soapenv:Fault><faultcode>soapenv:Client</faultcode></soapenv:Fault>"#)
        #expect(try !OfficialSchemas.violations(ofEnvelope: noFaultString).isEmpty)
        // The same fault, well made, is valid.
        let valid = envelope(#"<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>x</faultstring><detail><soa:BusinessError xmlns:soa="urn:be:fgov:ehealth:errors:soa:v1" Id="1"><Origin>Consumer</Origin><Code>SOA-03001</Code><Message xml:lang="en">x</Message><soa:Environment>Test</soa:Environment></soa:BusinessError></detail></soapenv:Fault>"#)
        #expect(try OfficialSchemas.violations(ofEnvelope: valid) == [])
    }

    /// All fourteen operations over HTTP, answered with success, then a refusal of each kind the
    /// responses carry (Status with EteeStatusDetail, SOAP fault): every answer is valid.
    @Test func everyOperationAnswersWithValidMessages() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 30 * 86_400)) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            _ = try await fixture.actorQualities(of: jean)
            _ = try await fixture.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))

            // An organization certificate with an application id, and the citizen's own (which,
            // with a 30-day lifetime, is at once in its 90-day replacement period).
            let organization = try await fixture.obtainCertificate(for: jean, organization: Sandboxed.dupontCBE,
                                                                   organizationName: Sandboxed.dupontName, applicationId: "BACKOFFICE")
            _ = try await fixture.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: Sandboxed.dupontCBE))
            let first = try await fixture.obtainCertificate(for: jean)
            _ = try await fixture.registerETK(first)
            let replacement = try await fixture.obtainCertificate(for: jean)
            #expect(replacement.generated.replacesCertificate == first.publicKeyIdentifier)
            _ = try await fixture.registerETK(replacement)
            _ = try await fixture.etkRA.activateETK(try await Sandboxed.signer.sign({ signature in
                ActivateETKRequestType(issueInstant: .now, signature: signature)
            }, with: try replacement.signingKey))
            _ = try await fixture.certificateInfo(replacement)
            _ = try await fixture.certificateInfo(forCitizen: jean)

            let revocation = try await fixture.certRA.generateRevocationContract(GenerateRevocationContractRequestType(
                issueInstant: .now, publicKeyIdentifier: organization.publicKeyIdentifier, signer: jean.actor, revocationReason: .cessationOfOperation))
            _ = try await fixture.certRA.revoke(try await Sandboxed.signer.sign({ signature in
                RevokeRequestType(issueInstant: .now, publicKeyIdentifier: organization.publicKeyIdentifier,
                                  contract: try require(revocation.contract, "Contract"), signature: signature)
            }, with: jean.signature))

            let foreignerKey = try EHealthCertificateSigningRequest.generatePrivateKey()
            let foreignerDN = try EHealthDistinguishedName.Builder().person(ssin: Sandboxed.foreignerBIS).name("SMITH JOHN").build()
            _ = try await fixture.certRA.submitCSRForForeigner(SubmitCSRForForeignerRequestType(
                issueInstant: .now, foreignPerson: ActorType(id: [IdType(type: "SSIN", value: Sandboxed.foreignerBIS)], firstName: ["John"], name: "Smith"),
                contactData: Sandboxed.contact, csr: Data(EHealthCertificateSigningRequest(subject: foreignerDN, privateKey: foreignerKey).derEncoded)))

            // Refusals: a status with an EteeStatusDetail, and a fault.
            await expectRefusal("SIGNER_IS_NOT_THE_ACTOR") { try await fixture.actorQualities(of: jean, ssin: Sandboxed.eleonore) }
            await expectRefusal("AUTH_CERT_NOT_FOUND") {
                try await fixture.getCertificate(try Generated.PublicKeyIdentifier(xmlText: String(repeating: "AB", count: 20)))
            }
            _ = try await fixture.post("not XML", to: .etkRA)

            #expect(fixture.recorder.exchanges.allSatisfy { $0.response.contentType?.hasPrefix("text/xml") == true },
                    "every answer is checked against the schemas only if it says it is XML")
            let seen = Set(fixture.recorder.exchanges.compactMap { exchange -> String? in
                (try? SOAPEnvelope.parse(exchange.response.body).payload.localName)
            })
            let operations = [
                CertRaV2Client.Operations.getActorQualities.outputElement, CertRaV2Client.Operations.getGenericOrganizationTypes.outputElement,
                CertRaV2Client.Operations.getExistingApplicationIds.outputElement, CertRaV2Client.Operations.generateContract.outputElement,
                CertRaV2Client.Operations.generateCertificate.outputElement, CertRaV2Client.Operations.getCertificate.outputElement,
                CertRaV2Client.Operations.getCertificateInfoForAuthenticationCertificate.outputElement,
                CertRaV2Client.Operations.getCertificateInfoForCitizen.outputElement, CertRaV2Client.Operations.generateRevocationContract.outputElement,
                CertRaV2Client.Operations.revoke.outputElement, CertRaV2Client.Operations.submitCSRForForeigner.outputElement,
                EtkRaV2Client.Operations.startETKRegistration.outputElement, EtkRaV2Client.Operations.completeETKRegistration.outputElement,
                EtkRaV2Client.Operations.activateETK.outputElement,
            ].map(\.localName)
            #expect(Set(operations).subtracting(seen).isEmpty, "no response seen for \(Set(operations).subtracting(seen).sorted())")
        }
    }
}
