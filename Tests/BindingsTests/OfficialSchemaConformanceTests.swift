import Testing

/// What the bindings write is valid against the official eHealth XSDs, and reads back unchanged.
@Suite(.enabled(if: ReferenceSchemas.available, ReferenceSchemas.skipReason), .strictXMLDecoding)
struct OfficialSchemaConformanceTests {
    @Test(arguments: EHealthMessageSamples.all)
    func theEncodedMessageIsValidAndDecodesToTheOriginal(_ sample: MessageSample) throws {
        let text = try sample.document()
        let violations = try ReferenceSchemas.violations(of: text)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))\n\(text)")
        try sample.expectDocumentDecodesToOriginal(text, #_sourceLocation)
    }
}
