import Foundation
import SOAPRuntime
import Testing

/// A message with an optional sequence (`<xs:sequence minOccurs="0">`) that is only partly
/// there: the document lacks some required member of the group, and so does the value.
struct PartialSequenceCase: Sendable, CustomTestStringConvertible {
    let testDescription: String
    /// The complete document with the group's required members cut out.
    let partialDocument: @Sendable () throws -> String
    let decode: @Sendable (String) throws -> Void
    let encodePartialValue: @Sendable () throws -> Void

    /// `removing` names the simple-content elements to cut, prefixed as `MessageSample.preferredPrefixes` writes them.
    static func make<Value: XMLRootElement>(
        _ description: String, full: @escaping @Sendable () throws -> Value, removing elements: [String],
        partial: @escaping @Sendable (inout Value) -> Void
    ) -> PartialSequenceCase {
        PartialSequenceCase(
            testDescription: description,
            partialDocument: {
                var text = try full().xmlDocument(preferredPrefixes: MessageSample.preferredPrefixes)
                for element in elements {
                    let shorter = text.replacingOccurrences(of: "<\(element)>[^<]*</\(element)>", with: "", options: .regularExpression)
                    guard shorter != text else { throw XMLSchemaValidationError(messages: ["\(element) is not in the document"]) }
                    text = shorter
                }
                return text
            },
            decode: { _ = try Value(xmlDocument: $0) },
            encodePartialValue: {
                var value = try full()
                partial(&value)
                _ = try value.xmlDocument()
            }
        )
    }
}
