/// The one error type of the XML layer: a stable `code` to match on and a reason for people.
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The bytes are not well-formed XML.
        case malformed
        /// A DOCTYPE was present; SOAP forbids them, and refusing them keeps entity expansion and XXE inert.
        case doctypeForbidden
        /// The document is larger than the configured limit.
        case tooLarge
        /// A start tag carries too many attributes, or elements nest too deep (`XMLParseLimits`).
        case limitExceeded
        /// An element was found where another one (or none) was expected.
        case unexpectedElement
        /// A required element is missing.
        case missingElement
        /// A required attribute is missing.
        case missingAttribute
        /// A lexical value is not valid for its XML Schema type (bad base64, hex, number, date, ...).
        case invalidValue
        /// A value is not one of the enumeration's values.
        case unknownEnumerationValue
        /// A value breaks a facet of its simple type (length, pattern, range).
        case facetViolation
        /// An attribute declared `fixed` has another value (strict decoding only).
        case fixedValueViolation
        /// A value could not be written (for example an optional sequence that is only partly filled).
        case invalidContent
    }

    public let code: Code
    public let reason: String
    /// Where in the document, when known: `Element/Child` and a line number.
    public let path: String?
    public let line: Int?

    public init(_ code: Code, _ reason: String, path: String? = nil, line: Int? = nil) {
        self.code = code
        self.reason = reason
        self.path = path
        self.line = line
    }

    public var description: String {
        var text = "XML \(code.rawValue): \(reason)"
        if let path { text += " (at \(path)" + (line.map { ", line \($0)" } ?? "") + ")" }
        else if let line { text += " (line \(line))" }
        return text
    }

    @usableFromInline
    func located(at element: XMLElement) -> XMLError {
        if path != nil { return self }
        return XMLError(code, reason, path: element.path, line: element.line)
    }
}
