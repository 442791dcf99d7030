import Testing

/// The validator is not vacuous: the official XSDs reject what the bindings would never write.
@Suite(.enabled(if: ReferenceSchemas.available, ReferenceSchemas.skipReason))
struct SchemaValidatorTests {
    static let header = #"<certra:GetCertificateRequest xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2""#

    @Test func aKeyIdentifierOf19BytesIsRejected() throws {
        let text = Self.header + #" IssueInstant="2026-03-14T09:26:53.589+01:00"><certra:PublicKeyIdentifier>"#
            + String(repeating: "AB", count: 19) + "</certra:PublicKeyIdentifier></certra:GetCertificateRequest>"
        let violations = try ReferenceSchemas.violations(of: text)
        #expect(violations.contains { $0.contains("PublicKeyIdentifier") && $0.contains("length") }, "\(violations)")
    }

    @Test func aMissingIssueInstantIsRejected() throws {
        let text = Self.header + "><certra:PublicKeyIdentifier>" + String(repeating: "AB", count: 20)
            + "</certra:PublicKeyIdentifier></certra:GetCertificateRequest>"
        let violations = try ReferenceSchemas.violations(of: text)
        #expect(violations.contains { $0.contains("IssueInstant") }, "\(violations)")
    }

    @Test func anUnknownETKStatusIsRejected() throws {
        let valid = try SampleCertRAResponses.getCertificateInfoForAuthenticationCertificate().xmlDocument()
        #expect(try ReferenceSchemas.violations(of: valid).isEmpty)
        let text = valid.replacingOccurrences(of: ">WAIT_FOR_ACTIVATION<", with: ">SOMETHING<")
        #expect(text != valid)
        let violations = try ReferenceSchemas.violations(of: text)
        #expect(violations.contains { $0.contains("ETKStatus") }, "\(violations)")
    }

    @Test func anUndeclaredElementInStatusDetailIsRejected() throws {
        // StatusDetail's wildcard is strict: only elements some imported schema declares may appear.
        let valid = try SampleCertRAResponses.revoke().xmlDocument()
        let text = valid.replacingOccurrences(of: "EteeStatusDetail", with: "UnknownDetail")
        #expect(text != valid)
        #expect(try !ReferenceSchemas.violations(of: text).isEmpty)
    }

    @Test func aMessageOfAnotherServiceIsNotADocumentOfTheseSchemas() throws {
        let text = #"<x:Anything xmlns:x="urn:example:not-ehealth"/>"#
        #expect(try !ReferenceSchemas.violations(of: text).isEmpty)
    }
}
