import Foundation
import Generated
import Testing

/// Well-formed documents that break the schema are refused with the specific error code, and
/// with the path and line of the offending element.
@Suite(.strictXMLDecoding) struct SchemaViolationDecodingTests {
    static let keyIdentifier = "5F0C3BA19E4277D016C82BE4910A6D38F58324BE"

    /// A GetCertificateRequest laid out on lines: root on line 1, key identifier on line 2.
    static func getCertificateRequest(
        namespace: String = "urn:be:fgov:ehealth:certra:protocol:v2",
        attributes: String = #" Id="r1" IssueInstant="2026-03-14T09:26:53.589+01:00""#,
        content: String = "  <certra:PublicKeyIdentifier>\(keyIdentifier)</certra:PublicKeyIdentifier>\n"
    ) -> String {
        "<certra:GetCertificateRequest xmlns:certra=\"\(namespace)\"\(attributes)>\n\(content)</certra:GetCertificateRequest>"
    }

    static func decodingError(_ text: String) throws -> XMLError {
        try #require(throws: XMLError.self) { try GetCertificateRequestType(xmlDocument: text) }
    }

    @Test func theReferenceDocumentDecodes() throws {
        let request = try GetCertificateRequestType(xmlDocument: Self.getCertificateRequest())
        #expect(request.publicKeyIdentifier.value.bytes == SampleBytes.keyIdentifier)
        #expect(request.issueInstant == SampleInstants.requestIssued)
    }

    @Test func aRootInAnotherNamespaceIsUnexpected() throws {
        let error = try Self.decodingError(Self.getCertificateRequest(namespace: "urn:be:fgov:ehealth:certra:protocol:v1"))
        #expect(error.code == .unexpectedElement)
        #expect(error.path == "GetCertificateRequest")
        #expect(error.line == 1)
    }

    @Test func aChildInAnotherNamespaceIsUnexpected() throws {
        let content = #"  <core:PublicKeyIdentifier xmlns:core="urn:be:fgov:ehealth:certra:core:v2">"#
            + Self.keyIdentifier + "</core:PublicKeyIdentifier>\n"
        let error = try Self.decodingError(Self.getCertificateRequest(content: content))
        #expect(error.code == .unexpectedElement)
        #expect(error.path == "GetCertificateRequest/PublicKeyIdentifier")
        #expect(error.line == 2)
    }

    @Test func anUnqualifiedChildIsUnexpected() throws {
        let error = try Self.decodingError(Self.getCertificateRequest(content: "<PublicKeyIdentifier>\(Self.keyIdentifier)</PublicKeyIdentifier>"))
        #expect(error.code == .unexpectedElement)
    }

    @Test func aMissingRequiredElementIsMissing() throws {
        let error = try Self.decodingError(Self.getCertificateRequest(content: ""))
        #expect(error.code == .missingElement)
        #expect(error.path == "GetCertificateRequest")
        #expect(error.reason.contains("PublicKeyIdentifier"))
    }

    @Test func aMissingIssueInstantIsAMissingAttribute() throws {
        let error = try Self.decodingError(Self.getCertificateRequest(attributes: #" Id="r1""#))
        #expect(error.code == .missingAttribute)
        #expect(error.reason.contains("IssueInstant"))
        #expect(error.path == "GetCertificateRequest")
    }

    @Test func aMissingResponseIdIsAMissingAttribute() throws {
        let text = try SampleCertRAResponses.getCertificate().xmlDocument()
            .replacingOccurrences(of: #" Id="response-get-certificate""#, with: "")
        let error = try #require(throws: XMLError.self) { try GetCertificateResponseType(xmlDocument: text) }
        #expect(error.code == .missingAttribute)
        #expect(error.reason.contains("Id"))
    }

    @Test func anExtraElementIsUnexpected() throws {
        let content = "  <certra:PublicKeyIdentifier>\(Self.keyIdentifier)</certra:PublicKeyIdentifier>\n  <certra:Comment>please hurry</certra:Comment>\n"
        let error = try Self.decodingError(Self.getCertificateRequest(content: content))
        #expect(error.code == .unexpectedElement)
        #expect(error.path == "GetCertificateRequest/Comment")
        #expect(error.line == 3)
    }

    @Test func aRepeatedSingleElementIsUnexpected() throws {
        let line = "  <certra:PublicKeyIdentifier>\(Self.keyIdentifier)</certra:PublicKeyIdentifier>\n"
        let error = try Self.decodingError(Self.getCertificateRequest(content: line + line))
        #expect(error.code == .unexpectedElement)
        #expect(error.line == 3)
    }

    @Test func anUnknownETKStatusIsAnUnknownEnumerationValue() throws {
        let valid = try SampleCertRAResponses.getCertificateInfoForAuthenticationCertificate().xmlDocument()
        let text = valid.replacingOccurrences(of: ">WAIT_FOR_ACTIVATION<", with: ">SOMETHING<")
        #expect(text != valid)
        let error = try #require(throws: XMLError.self) { try GetCertificateInfoForAuthenticationCertificateResponseType(xmlDocument: text) }
        #expect(error.code == .unknownEnumerationValue)
        #expect(error.path == "GetCertificateInfoForAuthenticationCertificateResponse/CertificateInfo/ETKStatus")
        #expect(error.reason.contains("SOMETHING"))
    }

    @Test func anUnknownEntityTypeAttributeIsAnUnknownEnumerationValue() throws {
        let valid = try SampleCertRAResponses.getCertificateInfoForCitizen().xmlDocument()
        let text = valid.replacingOccurrences(of: #"EntityType="Organization""#, with: #"EntityType="Robot""#)
        #expect(text != valid)
        let error = try #require(throws: XMLError.self) { try GetCertificateInfoForCitizenResponseType(xmlDocument: text) }
        #expect(error.code == .unknownEnumerationValue)
        #expect(error.path == "GetCertificateInfoForCitizenResponse/CertificateInfo/CertificateEntity")
    }

    @Test func badBase64IsAnInvalidValue() throws {
        let valid = try SampleEtkRAMessages.startETKRegistrationRequest().xmlDocument()
        let text = valid.replacingOccurrences(of: SampleBytes.derPublicKey.base64EncodedString(), with: "MIIBIjAN*not~base64!")
        #expect(text != valid)
        let error = try #require(throws: XMLError.self) { try StartETKRegistrationRequestType(xmlDocument: text) }
        #expect(error.code == .invalidValue)
        #expect(error.path == "StartETKRegistrationRequest/PublicEncryptionKey")
    }

    @Test func base64WithLineBreaksIsAccepted() throws {
        let encoded = SampleBytes.derPublicKey.base64EncodedString()
        let wrapped = encoded.enumerated().map { $0.offset > 0 && $0.offset % 64 == 0 ? "\n\($0.element)" : "\($0.element)" }.joined()
        let text = try SampleEtkRAMessages.startETKRegistrationRequest().xmlDocument().replacingOccurrences(of: encoded, with: wrapped)
        #expect(try StartETKRegistrationRequestType(xmlDocument: text).publicEncryptionKey == SampleBytes.derPublicKey)
    }

    @Test(arguments: ["5F0C3BA19E4277D016C82BE4910A6D38F58324BG", "5F0C3BA19E4277D016C82BE4910A6D38F58324B", "0x5F0C3BA19E4277D016C82BE4910A6D38F58324"])
    func badHexIsAnInvalidValue(_ hex: String) throws {
        let error = try Self.decodingError(Self.getCertificateRequest(content: "<certra:PublicKeyIdentifier>\(hex)</certra:PublicKeyIdentifier>"))
        #expect(error.code == .invalidValue)
        #expect(error.path == "GetCertificateRequest/PublicKeyIdentifier")
    }

    @Test(arguments: [0, 19, 21, 32])
    func aKeyIdentifierOfTheWrongLengthBreaksTheLengthFacet(_ length: Int) throws {
        let hex = String(repeating: "AB", count: length)
        let error = try Self.decodingError(Self.getCertificateRequest(content: "<certra:PublicKeyIdentifier>\(hex)</certra:PublicKeyIdentifier>"))
        #expect(error.code == .facetViolation)
        #expect(error.path == "GetCertificateRequest/PublicKeyIdentifier")

        let built = try #require(throws: XMLError.self) { try PublicKeyIdentifier(HexBinary(Data(repeating: 0xAB, count: length))) }
        #expect(built.code == .facetViolation)
    }

    @Test func lowerCaseHexIsReadAndWrittenCanonically() throws {
        let text = Self.getCertificateRequest(content: "<certra:PublicKeyIdentifier>\(Self.keyIdentifier.lowercased())</certra:PublicKeyIdentifier>")
        let request = try GetCertificateRequestType(xmlDocument: text)
        #expect(request.publicKeyIdentifier.value.bytes == SampleBytes.keyIdentifier)
        #expect(try request.xmlDocument().contains(">\(Self.keyIdentifier)<"))
    }

    @Test(arguments: ["2026-02-30T10:00:00Z", "2026-03-14 09:26:53Z", "2026-03-14T25:00:00Z", "2026-03-14T09:26:53+25:00",
                      "2026-03-14T09:26:53.Z", "14/03/2026", ""])
    func anInvalidDateTimeIsAnInvalidValue(_ instant: String) throws {
        let error = try Self.decodingError(Self.getCertificateRequest(attributes: #" IssueInstant="\#(instant)""#))
        #expect(error.code == .invalidValue)
        #expect(error.reason.contains("IssueInstant"))
        #expect(error.path == "GetCertificateRequest")
        #expect(error.line == 1)
    }

    @Test func anInvalidDateTimeInAnElementIsLocated() throws {
        let valid = try SampleCertRAResponses.submitCSRForForeigner().xmlDocument()
        let text = valid.replacingOccurrences(of: SampleInstants.confirmationDeadline.xmlText, with: "2026-04-31T23:59:59Z")
        #expect(text != valid)
        let error = try #require(throws: XMLError.self) { try SubmitCSRForForeignerResponseType(xmlDocument: text) }
        #expect(error.code == .invalidValue)
        #expect(error.path == "SubmitCSRForForeignerResponse/ExpirationDate")
    }

    @Test func textWhereElementsBelongIsUnexpected() throws {
        let error = try Self.decodingError(Self.getCertificateRequest(
            content: "<certra:PublicKeyIdentifier><b>\(Self.keyIdentifier)</b></certra:PublicKeyIdentifier>"))
        #expect(error.code == .unexpectedElement)
        #expect(error.path == "GetCertificateRequest/PublicKeyIdentifier")
    }

    @Test func aDocumentOfAnotherOperationIsUnexpected() throws {
        let text = try SampleCertRARequests.getCertificate().xmlDocument()
        let error = try #require(throws: XMLError.self) { try RevokeRequestType(xmlDocument: text) }
        #expect(error.code == .unexpectedElement)
        #expect(error.reason.contains("RevokeRequest"))
    }
}
