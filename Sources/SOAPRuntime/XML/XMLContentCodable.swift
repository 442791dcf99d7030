/// A value that is the content of an element: its attributes and children, or its text.
///
/// Generated bindings conform every complex and simple type to this; the element's own name
/// is chosen by whoever contains it (a type can appear under many element names).
public protocol XMLContentCodable: Sendable {
    init(xmlElement element: XMLElement) throws
    /// Writes attributes first, then child elements or text, into an element already started.
    func writeContent(to writer: inout XMLWriter) throws
}

/// A value written as element text or attribute value: the XML Schema simple types.
public protocol XMLSimpleValue: XMLContentCodable, Equatable {
    /// Parses a lexical value; throws `XMLError` with code `.invalidValue` (or a facet code).
    init(xmlText: String) throws
    /// The canonical lexical value.
    var xmlText: String { get }
    /// The value as written when it is one the bindings do not list (an enumeration's
    /// `unrecognized` case, kept by tolerant decoding); nil for every listed value.
    var unrecognizedValue: String? { get }
}

extension XMLSimpleValue {
    @inlinable
    public init(xmlElement element: XMLElement) throws {
        if element.hasElementChildren {
            throw XMLError(.unexpectedElement, "element \(element.localName) must contain text only")
                .located(at: element)
        }
        do {
            try self.init(xmlText: element.text)
        } catch let error as XMLError {
            throw error.located(at: element)
        }
        if let unlisted = unrecognizedValue, let observer = XMLDecoding.observer {
            observer(XMLUnknownContent(kind: .enumerationValue, name: element.name, xml: unlisted,
                                       path: element.path, line: element.line))
        }
    }

    @inlinable
    public var unrecognizedValue: String? { nil }

    public func writeContent(to writer: inout XMLWriter) throws {
        writer.text(xmlText)
    }
}

extension XMLElement {
    /// A required attribute, parsed as its simple type.
    public func requiredAttribute<Value: XMLSimpleValue>(_ localName: String, namespace: String? = nil, as type: Value.Type = Value.self) throws -> Value {
        guard let text = attribute(localName, namespace: namespace) else {
            throw XMLError(.missingAttribute, "attribute \(localName) is required on \(self.localName)", path: path, line: line)
        }
        return try parseAttribute(localName, namespace, text)
    }

    /// An optional attribute, parsed as its simple type.
    public func optionalAttribute<Value: XMLSimpleValue>(_ localName: String, namespace: String? = nil, as type: Value.Type = Value.self) throws -> Value? {
        guard let text = attribute(localName, namespace: namespace) else { return nil }
        return try parseAttribute(localName, namespace, text)
    }

    private func parseAttribute<Value: XMLSimpleValue>(_ localName: String, _ namespace: String?, _ text: String) throws -> Value {
        let value: Value
        do {
            value = try Value(xmlText: text)
        } catch let error as XMLError {
            throw XMLError(error.code, "attribute \(localName): \(error.reason)", path: path, line: line)
        }
        if let unlisted = value.unrecognizedValue, let observer = XMLDecoding.observer {
            observer(XMLUnknownContent(kind: .enumerationValue, name: XMLName(namespace, localName), xml: unlisted,
                                       path: path, line: line))
        }
        return value
    }

    /// Character data of a mixed-content element, or nil when it is only whitespace.
    public var mixedText: String? {
        let value = text
        return value.trimmingXMLWhitespace.isEmpty ? nil : value
    }

    /// Decodes this element as a value of the given type.
    public func decode<Value: XMLContentCodable>(as type: Value.Type = Value.self) throws -> Value {
        try Value(xmlElement: self)
    }
}
