import Generated
import Testing

/// An optional sequence is all there or not at all: a partial one is refused with
/// `.invalidContent` when read and when written, and the official XSDs agree it is invalid.
@Suite struct PartialSequenceTests {
    static let cases: [PartialSequenceCase] = [
        .make("CompleteETKRegistrationResponse with ETK but without ToBeActivated",
              full: { SampleEtkRAMessages.completeETKRegistrationResponse() },
              removing: ["etkra:ToBeActivated"], partial: { $0.toBeActivated = nil }),
        .make("CompleteETKRegistrationResponse with ToBeActivated but without ETK",
              full: { SampleEtkRAMessages.completeETKRegistrationResponse() },
              removing: ["etkra:ETK"], partial: { $0.etk = nil }),
        .make("GenerateCertificateResponse with ReplacesCertificate only",
              full: { try SampleCertRAResponses.generateCertificate() },
              removing: ["certra:PublicKeyIdentifier", "certra:AutomaticallyValidated"],
              partial: { $0.publicKeyIdentifier = nil; $0.automaticallyValidated = nil }),
        .make("GenerateCertificateResponse without AutomaticallyValidated",
              full: { try SampleCertRAResponses.generateCertificate() },
              removing: ["certra:AutomaticallyValidated"], partial: { $0.automaticallyValidated = nil }),
        .make("SubmitCSRForForeignerResponse with ValidationUrl but without ExpirationDate",
              full: { SampleCertRAResponses.submitCSRForForeigner() },
              removing: ["certra:ExpirationDate"], partial: { $0.expirationDate = nil }),
        .make("GetActorQualitiesResponse with organizations but without NaturalPersonAuthorization",
              full: { try SampleCertRAResponses.getActorQualities() },
              removing: ["certra:NaturalPersonAuthorization"], partial: { $0.naturalPersonAuthorization = nil }),
    ]

    @Test(arguments: cases)
    func writingAPartialGroupIsInvalidContent(_ partial: PartialSequenceCase) throws {
        let error = try #require(throws: XMLError.self) { try partial.encodePartialValue() }
        #expect(error.code == .invalidContent)
    }

    @Test(arguments: cases)
    func readingAPartialGroupIsInvalidContent(_ partial: PartialSequenceCase) throws {
        let text = try partial.partialDocument()
        let error = try #require(throws: XMLError.self) { try partial.decode(text) }
        #expect(error.code == .invalidContent)
    }

    @Test(.enabled(if: ReferenceSchemas.available, ReferenceSchemas.skipReason),
          arguments: cases)
    func theOfficialSchemaAlsoRefusesThePartialGroup(_ partial: PartialSequenceCase) throws {
        #expect(try !ReferenceSchemas.violations(of: partial.partialDocument()).isEmpty)
    }

    @Test func writingARequestWithToBeRegisteredButWithoutSignatureIsInvalidContent() throws {
        var request = try SampleEtkRAMessages.completeETKRegistrationRequest()
        request.signature = nil
        let error = try #require(throws: XMLError.self) { try request.xmlDocument() }
        #expect(error.code == .invalidContent)
    }

    @Test func readingARequestWithToBeRegisteredButWithoutSignatureIsInvalidContent() throws {
        let text = """
            <etkra:CompleteETKRegistrationRequest xmlns:etkra="urn:be:fgov:ehealth:etkra:protocol:v2" IssueInstant="2026-03-14T09:26:53Z">\
            <etkra:ToBeRegistered>MIIE0g==</etkra:ToBeRegistered></etkra:CompleteETKRegistrationRequest>
            """
        let error = try #require(throws: XMLError.self) { try CompleteETKRegistrationRequestType(xmlDocument: text) }
        #expect(error.code == .invalidContent)
    }

    @Test func anEmptyGroupIsValid() throws {
        var response = SampleEtkRAMessages.completeETKRegistrationResponse()
        response.etk = nil
        response.toBeActivated = nil
        let text = try response.xmlDocument()
        #expect(try CompleteETKRegistrationResponseType(xmlDocument: text) == response)
        if ReferenceSchemas.available {
            #expect(try ReferenceSchemas.violations(of: text).isEmpty)
        }
    }
}
