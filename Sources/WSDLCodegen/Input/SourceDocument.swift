import Foundation
import SOAPRuntime

/// One XML input file (WSDL or XSD), parsed, with what is needed to point at places in it.
final class SourceDocument: @unchecked Sendable {
    let url: URL
    let document: XMLDocument
    /// The file's text as read, for bindings that embed their schemas.
    let text: String
    private let lines: [Substring]

    init(url: URL) throws {
        self.url = url
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Diagnostic.error("cannot read \(url.path): \(error.localizedDescription)",
                                   at: SourceLocation(file: url.path, line: 1, column: 1))
        }
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            // Input files are local and trusted: a DOCTYPE is read (never anything it points to).
            document = try XMLDocument(parsingLocalFile: text, limits: XMLParseLimits(maximumBytes: 64 * 1024 * 1024))
        } catch let error as XMLError {
            throw Diagnostic.error("not well-formed XML: \(error.reason)",
                                   at: SourceLocation(file: url.path, line: error.line ?? 1, column: 1))
        }
    }

    var path: String { url.path }

    /// libxml2 keeps line numbers only; the column is found by looking for the start tag on that line.
    func location(of element: XMLElement) -> SourceLocation {
        let line = max(element.line, 1)
        var column = 1
        if line <= lines.count {
            let text = lines[line - 1]
            let local = element.localName
            if let range = text.range(of: ":" + local, options: []) ?? text.range(of: "<" + local) {
                var start = range.lowerBound
                while start > text.startIndex, text[start] != "<" { start = text.index(before: start) }
                column = text.distance(from: text.startIndex, to: start) + 1
            }
        }
        return SourceLocation(file: url.path, line: line, column: column)
    }
}

/// An element of a source document, carried with its document so that any problem can be located.
struct SourceElement {
    let element: XMLElement
    let source: SourceDocument

    var location: SourceLocation { source.location(of: element) }
    var localName: String { element.localName }
    var namespace: String? { element.namespace }

    func attribute(_ name: String) -> String? { element.attribute(name) }

    var children: [SourceElement] { element.children.map { SourceElement(element: $0, source: source) } }

    func children(_ namespace: String, _ localName: String) -> [SourceElement] {
        children.filter { $0.element.hasName(namespace, localName) }
    }

    func child(_ namespace: String, _ localName: String) -> SourceElement? {
        children(namespace, localName).first
    }

    func isA(_ namespace: String, _ localName: String) -> Bool { element.hasName(namespace, localName) }

    func error(_ message: String) -> Diagnostic { .error(message, at: location) }

    /// Resolves a QName-valued attribute with the namespace declarations in scope.
    func qualifiedName(_ attributeName: String) throws -> QualifiedName? {
        guard let value = attribute(attributeName)?.trimmingXMLWhitespace else { return nil }
        return try resolve(value)
    }

    func resolve(_ value: String) throws -> QualifiedName {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let prefix = parts.count == 2 ? parts[0] : ""
        let local = parts.count == 2 ? parts[1] : parts[0]
        let namespaces = element.namespacesInScope
        if prefix == "xml" { return QualifiedName(XMLName.xmlNamespace, local) }
        guard let uri = namespaces[prefix] else {
            if prefix.isEmpty { return QualifiedName(nil, local) }
            throw error("the prefix '\(prefix)' of '\(value)' is not declared")
        }
        return QualifiedName(uri.isEmpty ? nil : uri, local)
    }

    /// The text of an xs:documentation (or wsdl:documentation) child, whitespace collapsed.
    func documentation(_ namespace: String) -> String? {
        var texts: [String] = []
        if let annotation = child(Namespaces.xsd, "annotation") {
            for doc in annotation.children(Namespaces.xsd, "documentation") { texts.append(doc.element.text) }
        }
        for doc in children(namespace, "documentation") where namespace != Namespaces.xsd { texts.append(doc.element.text) }
        let joined = texts.joined(separator: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }
}

typealias QualifiedName = XMLName

enum Namespaces {
    static let xsd = "http://www.w3.org/2001/XMLSchema"
    static let wsdl = "http://schemas.xmlsoap.org/wsdl/"
    static let soap11 = "http://schemas.xmlsoap.org/wsdl/soap/"
    static let soap12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
    static let xmldsig = "http://www.w3.org/2000/09/xmldsig#"
}
