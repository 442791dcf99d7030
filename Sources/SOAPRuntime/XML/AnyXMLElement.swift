/// An element matched by `xs:any`, kept as standalone XML so nothing in it is lost.
public struct AnyXMLElement: XMLContentCodable, Equatable, Hashable, CustomStringConvertible {
    public let name: XMLName
    /// The element as a namespace-complete fragment.
    public let xml: String

    init(name: XMLName, xml: String) {
        self.name = name
        self.xml = xml
    }

    public init(_ element: XMLElement) {
        self.name = element.name
        self.xml = element.serialized()
    }

    /// Wraps an XML fragment; it must be one well-formed element.
    public init(xml: String) throws {
        let document = try XMLDocument(parsing: xml)
        self.init(document.root)
    }

    /// Encodes a typed value as a wildcard element.
    public init<Value: XMLContentCodable>(_ name: XMLName, _ value: Value) throws {
        try self.init(xml: XMLWriter.document(root: name, value))
    }

    public init(xmlElement element: XMLElement) throws {
        self.init(element)
    }

    /// Parses the fragment again, to read it.
    public func element() throws -> XMLElement {
        try XMLDocument(parsing: xml).root
    }

    public func decode<Value: XMLContentCodable>(as type: Value.Type = Value.self) throws -> Value {
        try Value(xmlElement: element())
    }

    public func writeContent(to writer: inout XMLWriter) throws {
        // Only the whole element can be inserted; see XMLWriter.raw.
        throw XMLError(.invalidContent, "a wildcard element is written with XMLWriter.any")
    }

    public var description: String { xml }
}

extension XMLWriter {
    public mutating func any(_ element: AnyXMLElement) {
        raw(element.xml)
    }

    public mutating func any(_ element: AnyXMLElement?) {
        if let element { raw(element.xml) }
    }

    public mutating func any(_ elements: [AnyXMLElement]) {
        for element in elements { raw(element.xml) }
    }

    /// A nillable element of type xs:anyType: the kept element, or `<name xsi:nil="true"/>` for nil.
    public mutating func nillableAny(_ name: XMLName, _ element: AnyXMLElement?) {
        if let element {
            raw(element.xml)
        } else {
            startElement(name)
            attribute(XMLName(XMLName.xsiNamespace, "nil"), "true")
            endElement()
        }
    }

    /// An optional nillable anyType element: absent when `.none`, `xsi:nil` when `.some(nil)`.
    public mutating func nillableAny(_ name: XMLName, _ element: AnyXMLElement??) {
        if let element { nillableAny(name, element) }
    }

    public mutating func nillableAny(_ name: XMLName, _ elements: [AnyXMLElement?]) {
        for element in elements { nillableAny(name, element) }
    }
}
