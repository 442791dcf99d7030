import CLibXML2

/// A read-only view of one element of an `XMLDocument`.
public struct XMLElement: @unchecked Sendable {
    @usableFromInline let node: xmlNodePtr
    /// Keeps the tree alive for as long as the view exists.
    public let document: XMLDocument

    @inlinable
    init(node: xmlNodePtr, document: XMLDocument) {
        self.node = node
        self.document = document
    }

    public var localName: String { String(cString: node.pointee.name) }

    public var namespace: String? { LibXML2.string(node.pointee.ns?.pointee.href) }

    public var name: XMLName { XMLName(namespace, localName) }

    public var line: Int { Int(xmlGetLineNo(node)) }

    /// `Parent/Child/Leaf` for error messages.
    public var path: String {
        var names: [String] = []
        var current: xmlNodePtr? = node
        while let element = current, element.pointee.type == XML_ELEMENT_NODE {
            names.append(String(cString: element.pointee.name))
            current = element.pointee.parent
        }
        return names.reversed().joined(separator: "/")
    }

    /// True when this element has the given namespace and local name; no string is allocated.
    @inlinable
    public func hasName(_ namespace: String?, _ localName: String) -> Bool {
        guard Self.equals(node.pointee.name, localName) else { return false }
        let href = node.pointee.ns?.pointee.href
        switch (namespace, href) {
        case (nil, nil): return true
        case let (expected?, actual?): return Self.equals(actual, expected)
        default: return false
        }
    }

    /// Compares a libxml2 string with a Swift string byte for byte, without converting either
    /// (passing a String where `xmlChar *` is expected would copy it into a new array every time).
    @inlinable
    static func equals(_ text: UnsafePointer<xmlChar>?, _ string: String) -> Bool {
        guard let text else { return false }
        var string = string
        return string.withUTF8 { bytes in
            for index in 0..<bytes.count where text[index] != bytes[index] { return false }
            return text[bytes.count] == 0
        }
    }

    /// The value of an attribute; `namespace` nil means an unqualified attribute.
    public func attribute(_ localName: String, namespace: String? = nil) -> String? {
        guard let value = namespace == nil
            ? xmlGetNoNsProp(node, localName)
            : xmlGetNsProp(node, localName, namespace!)
        else { return nil }
        defer { ehealth_xmlFree(value) }
        return String(cString: value)
    }

    /// `xsi:nil="true"` (or `1`).
    public var isNil: Bool {
        guard let value = attribute("nil", namespace: XMLName.xsiNamespace) else { return false }
        let trimmed = value.trimmingXMLWhitespace
        return trimmed == "true" || trimmed == "1"
    }

    /// The child elements, in document order.
    public var children: [XMLElement] {
        var result: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                result.append(XMLElement(node: current, document: document))
            }
            child = current.pointee.next
        }
        return result
    }

    /// The first child element, if any.
    @inlinable
    public var firstChild: XMLElement? {
        Self.nextElement(from: node.pointee.children, document: document)
    }

    /// The next sibling element, if any.
    @inlinable
    public var nextSibling: XMLElement? {
        Self.nextElement(from: node.pointee.next, document: document)
    }

    @inlinable
    static func nextElement(from start: xmlNodePtr?, document: XMLDocument) -> XMLElement? {
        var candidate = start
        while let current = candidate {
            if current.pointee.type == XML_ELEMENT_NODE { return XMLElement(node: current, document: document) }
            candidate = current.pointee.next
        }
        return nil
    }

    /// The concatenated character data directly inside this element (text and CDATA children).
    @inlinable
    public var text: String {
        var child = node.pointee.children
        // The common case, a single text node, avoids building an intermediate buffer.
        if let only = child, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            return only.pointee.content.map { String(cString: $0) } ?? ""
        }
        var result = ""
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                result += String(cString: content)
            }
            child = current.pointee.next
        }
        return result
    }

    /// True when the element contains element children.
    @inlinable
    public var hasElementChildren: Bool { firstChild != nil }

    /// The element and its subtree as standalone XML, with every namespace it uses declared on it.
    public func serialized() -> String {
        LibXML2.ensureInitialised()
        guard let copyDocument = xmlNewDoc("1.0") else { return "" }
        defer { xmlFreeDoc(copyDocument) }
        guard let copy = xmlDocCopyNode(node, copyDocument, 1) else { return "" }
        xmlDocSetRootElement(copyDocument, copy)
        xmlReconciliateNs(copyDocument, copy)
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, copyDocument, copy, 0, 0)
        return LibXML2.string(xmlBufferContent(buffer)) ?? ""
    }

    /// The namespace declarations made on this element itself, in document order (prefix "" for a default namespace).
    public var namespaceDeclarations: [(prefix: String, uri: String)] {
        var result: [(prefix: String, uri: String)] = []
        var declaration = node.pointee.nsDef
        while let ns = declaration {
            result.append((LibXML2.string(ns.pointee.prefix) ?? "", LibXML2.string(ns.pointee.href) ?? ""))
            declaration = ns.pointee.next
        }
        return result
    }

    /// Namespace declarations in scope at this element (prefix → URI), nearest first wins.
    public var namespacesInScope: [String: String] {
        var result: [String: String] = [:]
        var current: xmlNodePtr? = node
        while let element = current, element.pointee.type == XML_ELEMENT_NODE {
            var declaration = element.pointee.nsDef
            while let ns = declaration {
                let prefix = LibXML2.string(ns.pointee.prefix) ?? ""
                if result[prefix] == nil { result[prefix] = LibXML2.string(ns.pointee.href) ?? "" }
                declaration = ns.pointee.next
            }
            current = element.pointee.parent
        }
        return result
    }
}

extension StringProtocol {
    /// Strips the four XML whitespace characters only (XML Schema's `collapse` edges).
    public var trimmingXMLWhitespace: String {
        // Values almost never carry surrounding whitespace: check the two ends' bytes first.
        let isSpaceByte: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if let first = utf8.first, !isSpaceByte(first), let last = last,
           last != " ", last != "\t", last != "\n", last != "\r", last != "\r\n" {
            return String(self)
        }
        if utf8.isEmpty { return "" }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
