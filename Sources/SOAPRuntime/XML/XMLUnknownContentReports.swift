import CLibXML2

// What tolerant decoders keep or ignore for forward compatibility, and how they tell the observer.

extension XMLElement {
    /// The names of the attributes written on this element (namespace declarations are not attributes).
    public var attributeNames: [XMLName] {
        var names: [XMLName] = []
        var property = node.pointee.properties
        while let attribute = property {
            names.append(XMLName(LibXML2.string(attribute.pointee.ns?.pointee.href), String(cString: attribute.pointee.name)))
            property = attribute.pointee.next
        }
        return names
    }

    /// Tells `XMLDecoding.observer` about every attribute `known` does not name. `xsi:` attributes
    /// (type, nil, schemaLocation) belong to every element. `known` is only evaluated when someone
    /// observes, so decoding without an observer pays one task-local read per element.
    @inlinable
    public func reportUnknownAttributes(known: @autoclosure () -> [XMLName]) {
        guard let observer = XMLDecoding.observer, node.pointee.properties != nil else { return }
        let declared = known()
        for name in attributeNames where name.namespace != XMLName.xsiNamespace && !declared.contains(name) {
            observer(XMLUnknownContent(kind: .attribute, name: name,
                                       xml: attribute(name.localName, namespace: name.namespace) ?? "",
                                       path: path, line: line))
        }
    }
}

extension XMLDecoding {
    /// A lexical value that an enumeration does not list. Strict decoding refuses it
    /// (`XMLError.unknownEnumerationValue`); tolerant decoding returns it, for the enumeration's
    /// `unrecognized` case, as JAXB keeps working when a service adds a value.
    public static func unlistedEnumerationValue(_ text: String, of typeName: String, allowed: String) throws -> String {
        guard mode == .tolerant else {
            throw XMLError(.unknownEnumerationValue, "\"\(text)\" is not a \(typeName) value (allowed: \(allowed))")
        }
        return text
    }
}

extension XMLElement {
    /// An attribute declared `fixed="..."` must have that value. Strict decoding refuses another
    /// one; tolerant decoding keeps it, since a later schema version may fix another value.
    public func checkFixedAttribute<Value: XMLSimpleValue>(_ localName: String, _ value: Value?, fixed: Value) throws {
        guard let value, value != fixed, XMLDecoding.mode == .strict else { return }
        throw XMLError(.fixedValueViolation, "attribute \(localName) must be \"\(fixed.xmlText)\", not \"\(value.xmlText)\"",
                       path: path, line: line)
    }
}

extension XMLSimpleValue {
    /// True when `text` is a valid lexical value of this type under strict decoding (an
    /// enumeration's unlisted value is not): how a union checks its member types.
    public static func accepts(_ text: String) -> Bool {
        XMLDecoding.$mode.withValue(.strict) { (try? Self(xmlText: text)) != nil }
    }
}
