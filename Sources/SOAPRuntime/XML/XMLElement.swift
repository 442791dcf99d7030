import CLibXML2

/// A read-only view of one element of an `XMLDocument`.
public struct XMLElement: @unchecked Sendable {
    let node: xmlNodePtr
    /// Keeps the tree alive for as long as the view exists.
    public let document: XMLDocument

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
    @inline(__always)
    public func hasName(_ namespace: String?, _ localName: String) -> Bool {
        guard xmlStrEqual(node.pointee.name, localName) != 0 else { return false }
        let href = node.pointee.ns?.pointee.href
        switch (namespace, href) {
        case (nil, nil): return true
        case let (expected?, actual?): return xmlStrEqual(actual, expected) != 0
        default: return false
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
    public var firstChild: XMLElement? {
        Self.nextElement(from: node.pointee.children, document: document)
    }

    /// The next sibling element, if any.
    public var nextSibling: XMLElement? {
        Self.nextElement(from: node.pointee.next, document: document)
    }

    @inline(__always)
    static func nextElement(from start: xmlNodePtr?, document: XMLDocument) -> XMLElement? {
        var candidate = start
        while let current = candidate {
            if current.pointee.type == XML_ELEMENT_NODE { return XMLElement(node: current, document: document) }
            candidate = current.pointee.next
        }
        return nil
    }

    /// The concatenated character data directly inside this element (text and CDATA children).
    public var text: String {
        var child = node.pointee.children
        // The common case, a single text node, avoids building an intermediate buffer.
        if let only = child, only.pointee.next == nil,
           only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE {
            return LibXML2.string(only.pointee.content) ?? ""
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
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
