import Foundation
import SOAPRuntime
import Testing

/// One sample message of one operation, with the operations that encode it, decode it and
/// compare, erased from its generated type so that parameterised tests can take a list of them.
struct MessageSample: Sendable, CustomTestStringConvertible {
    enum Direction: String, Sendable {
        case request, response
    }

    let operation: String
    let direction: Direction
    /// Tells apart several samples of one message (e.g. the alternatives of a choice).
    let variant: String?
    /// The element the WSDL operation names for this message.
    let operationElement: XMLName
    /// The element the generated type writes and expects as document element.
    let rootElementName: XMLName

    /// The value as a standalone document (`xmlDocument()`).
    let document: @Sendable () throws -> String
    /// The value as the payload of a SOAP 1.1 envelope.
    let envelope: @Sendable () throws -> String
    /// Decodes a document with `init(xmlDocument:)`, whatever value comes out.
    let decodeDocument: @Sendable (String) throws -> Void
    /// Decodes a document with `init(xmlDocument:)` and expects the original value back.
    let expectDocumentDecodesToOriginal: @Sendable (String, SourceLocation) throws -> Void
    /// Decodes an element (an envelope's payload) and expects the original value back.
    let expectElementDecodesToOriginal: @Sendable (XMLElement, SourceLocation) throws -> Void

    var testDescription: String {
        "\(operation) \(direction.rawValue)" + (variant.map { " (\($0))" } ?? "")
    }

    static func request<Input: XMLRootElement & Equatable, Output>(
        _ operation: SOAPOperation<Input, Output>, variant: String? = nil, _ make: @escaping @Sendable () throws -> Input
    ) -> MessageSample {
        sample(operation.name, .request, variant: variant, element: operation.inputElement, make)
    }

    static func response<Input, Output: XMLRootElement & Equatable>(
        _ operation: SOAPOperation<Input, Output>, variant: String? = nil, _ make: @escaping @Sendable () throws -> Output
    ) -> MessageSample {
        sample(operation.name, .response, variant: variant, element: operation.outputElement, make)
    }

    private static func sample<Value: XMLRootElement & Equatable>(
        _ operation: String, _ direction: Direction, variant: String?, element: XMLName,
        _ make: @escaping @Sendable () throws -> Value
    ) -> MessageSample {
        MessageSample(
            operation: operation, direction: direction, variant: variant,
            operationElement: element, rootElementName: Value.rootElementName,
            document: { try make().xmlDocument(preferredPrefixes: preferredPrefixes) },
            envelope: {
                switch direction {
                case .request: try SOAPEnvelope.request(body: element, make(), preferredPrefixes: preferredPrefixes)
                case .response: try SOAPEnvelope.response(body: element, make(), preferredPrefixes: preferredPrefixes)
                }
            },
            decodeDocument: { text in _ = try Value(xmlDocument: text) },
            expectDocumentDecodesToOriginal: { text, location in
                let decoded = try Value(xmlDocument: text)
                #expect(decoded == (try make()), sourceLocation: location)
            },
            expectElementDecodesToOriginal: { element, location in
                let decoded = try Value(xmlElement: element)
                #expect(decoded == (try make()), sourceLocation: location)
            }
        )
    }

    /// The prefixes people know from eHealth's own messages; other namespaces get generated ones.
    static let preferredPrefixes = [
        "http://www.w3.org/2000/09/xmldsig#": "ds",
        "urn:be:fgov:ehealth:commons:core:v2": "core",
        "urn:be:fgov:ehealth:certra:protocol:v2": "certra",
        "urn:be:fgov:ehealth:etkra:protocol:v2": "etkra",
    ]
}
