/// A type that is the type of exactly one global element, so it can stand as a document on its own.
public protocol XMLRootElement: XMLContentCodable {
    static var rootElementName: XMLName { get }
    /// The namespaces this element and its content use, with the prefixes to give them; the
    /// writer declares them once on this element.
    static var xmlNamespaces: [XMLNamespaceDeclaration] { get }
}

extension XMLRootElement {
    public static var xmlNamespaces: [XMLNamespaceDeclaration] { [] }
}

/// A namespace and the prefix it should get when declared.
public struct XMLNamespaceDeclaration: Sendable, Hashable {
    public let uri: String
    public let prefix: String

    public init(_ uri: String, prefix: String) {
        self.uri = uri
        self.prefix = prefix
    }
}

extension XMLRootElement {
    /// Parses a document whose root must be this type's element.
    public init(xmlDocument text: String, limits: XMLParseLimits = .default) throws {
        let root = try XMLDocument(parsing: text, limits: limits).root
        guard root.hasName(Self.rootElementName.namespace, Self.rootElementName.localName) else {
            throw XMLError(.unexpectedElement, "expected \(Self.rootElementName) but the document element is \(root.name)",
                           path: root.path, line: root.line)
        }
        try self.init(xmlElement: root)
    }

    /// This value as a document (its element with every namespace declared).
    public func xmlDocument(preferredPrefixes: [String: String] = [:]) throws -> String {
        try XMLWriter.document(root: Self.rootElementName, self, preferredPrefixes: preferredPrefixes)
    }
}

/// Checks of content groups, called by generated code.
public enum XMLGroupCheck {
    /// An optional sequence (`<xs:sequence minOccurs="0">`) is all there or not at all: when any of
    /// its members is present, its required members must all be.
    public static func allOrNone(_ typeName: String, present: [Bool], required: [(name: String, present: Bool)]) throws {
        guard present.contains(true) else { return }
        let missing = required.filter { !$0.present }.map(\.name)
        guard missing.isEmpty else {
            throw XMLError(.invalidContent, "\(typeName): \(missing.joined(separator: ", ")) must be present together with the rest of its group")
        }
    }
}
