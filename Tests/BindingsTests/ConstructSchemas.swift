import Foundation
import SOAPRuntime
import Testing

/// The generator's construct fixtures (Tests/Fixtures/wsdl/addressbook-fixture/constructs), each
/// compiled as a validator of its own.
enum ConstructSchemas {
    static let folder = FixtureSchemas.folder.appendingPathComponent("constructs")

    static func violations(of xml: String, against name: String) throws -> [String] {
        try XMLSchemaValidator(schemaFile: folder.appendingPathComponent(name + ".xsd")).violations(of: xml)
    }

    /// Encode → validate against the fixture XSD → decode → equal.
    static func expectRoundTrip<Value: XMLContentCodable & Equatable>(
        _ value: Value, as root: XMLName, schema: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let text = try XMLWriter.document(root: root, value)
        let violations = try violations(of: text, against: schema)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))\n\(text)", sourceLocation: sourceLocation)
        let decoded = try Value(xmlElement: XMLDocument(parsing: text).root)
        #expect(decoded == value, "\(text)", sourceLocation: sourceLocation)
        return text
    }
}
