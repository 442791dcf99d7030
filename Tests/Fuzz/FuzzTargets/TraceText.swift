import Foundation
import SOAPRuntime

/// Values inside traced envelopes, for seeds.
enum TraceText {
    /// The decoded base64 text of every element named `localName`, in document order.
    static func base64Values(of localName: String, in envelope: Data) -> [Data] {
        texts(of: localName, in: envelope).compactMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }
    }

    /// The text of every element named `localName`, in document order.
    static func texts(of localName: String, in envelope: Data) -> [String] {
        guard let root = try? SOAPRuntime.XMLDocument(parsing: envelope).root else { return [] }
        var found: [String] = []
        func visit(_ element: SOAPRuntime.XMLElement) {
            if element.localName == localName { found.append(element.text) }
            for child in element.children { visit(child) }
        }
        visit(root)
        return found
    }
}
