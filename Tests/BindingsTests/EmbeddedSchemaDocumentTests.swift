import Foundation
import Generated
import SOAPRuntime
import Testing

/// The bindings carry the XSDs they were generated from (`SchemaDocuments.all`), byte for byte,
/// and a validator compiled from them checks messages without any file at hand.
@Suite struct EmbeddedSchemaDocumentTests {
    static let schemasFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schemas")

    @Test func everyXSDOfSchemasIsEmbeddedByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemasFolder.path).filter { $0.hasSuffix(".xsd") }.sorted()
        #expect(SchemaDocuments.all.map(\.path).sorted() == files)
        for document in SchemaDocuments.all {
            let onDisk = try String(contentsOf: Self.schemasFolder.appendingPathComponent(document.path), encoding: .utf8)
            #expect(document.text == onDisk, "\(document.path) differs from its embedded copy")
        }
        let certRACore = try #require(SchemaDocuments.all.first { $0.path == "certra-core-v2.xsd" })
        #expect(certRACore.targetNamespace == "urn:be:fgov:ehealth:certra:core:v2")
    }

    static let validator = Result { try XMLSchemaValidator(documents: SchemaDocuments.all) }

    @Test func aMessageTheBindingsWriteIsValidAgainstTheEmbeddedSchemas() throws {
        let validator = try Self.validator.get()
        let envelope = try SOAPEnvelope.request(body: CertRaV2Client.Operations.getCertificate.inputElement,
                                                try SampleCertRARequests.getCertificate())
        #expect(validator.violations(ofEnvelope: Data(envelope.utf8)) == [])
    }

    @Test func aBrokenMessageIsRejectedByTheEmbeddedSchemas() throws {
        let validator = try Self.validator.get()
        let text = #"<certra:GetCertificateRequest xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2" IssueInstant="2026-03-14T09:26:53Z"><certra:PublicKeyIdentifier>ABAB</certra:PublicKeyIdentifier></certra:GetCertificateRequest>"#
        let violations = validator.violations(of: text)
        #expect(violations.contains { $0.contains("PublicKeyIdentifier") }, "\(violations)")
    }

    @Test func aDocumentPathLeavingTheSetIsRefused() {
        #expect(throws: XMLSchemaValidationError.self) {
            _ = try XMLSchemaValidator(documents: [SchemaDocument(path: "../escape.xsd", targetNamespace: nil, text: "<x/>")])
        }
    }
}
