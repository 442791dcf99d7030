import CLibXML2

/// `xsi:type`: an element says which type derived from its declared one its content has.
/// The value is a QName whose prefix is resolved where the element sits (the declaration may be
/// on any ancestor), so both reading and writing go through the namespaces in scope.
extension XMLElement {
    /// The type the element's `xsi:type` names, or nil when it has none.
    public func xsiType() throws -> XMLName? {
        guard let value = attribute("type", namespace: XMLName.xsiNamespace)?.trimmingXMLWhitespace else { return nil }
        return try resolveQName(value)
    }

    /// Resolves `prefix:local` (or `local`, in the default namespace) against the declarations in scope.
    public func resolveQName(_ value: String) throws -> XMLName {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let prefix = parts.count == 2 ? parts[0] : ""
        let local = parts.count == 2 ? parts[1] : parts[0]
        guard !local.isEmpty else {
            throw XMLError(.invalidValue, "\"\(value)\" is not a qualified name", path: path, line: line)
        }
        if prefix == "xml" { return XMLName(XMLName.xmlNamespace, local) }
        guard let uri = namespacesInScope[prefix] else {
            if prefix.isEmpty { return XMLName(nil, local) }
            throw XMLError(.invalidValue, "the prefix \(prefix) of \"\(value)\" is not declared", path: path, line: line)
        }
        return XMLName(uri.isEmpty ? nil : uri, local)
    }

    /// The element's attributes (namespace declarations excluded), in document order.
    public var attributes: [(name: XMLName, value: String)] {
        var result: [(name: XMLName, value: String)] = []
        var property = node.pointee.properties
        while let current = property {
            let name = XMLName(LibXML2.string(current.pointee.ns?.pointee.href), String(cString: current.pointee.name))
            if let value = attribute(name.localName, namespace: name.namespace) { result.append((name, value)) }
            property = current.pointee.next
        }
        return result
    }

    /// Child elements and character data, in document order (comments and processing instructions are dropped).
    public var contentNodes: [XMLContentNode] {
        var result: [XMLContentNode] = []
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE: result.append(.element(XMLElement(node: current, document: document)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { result.append(.text(String(cString: content))) }
            default: break
            }
            child = current.pointee.next
        }
        return result
    }

    /// Like `serialized()`, and also declares on the copy every prefixed namespace in scope at the
    /// original, so that QName values in content (an `xsi:type`) keep their meaning out of context.
    public func serializedKeepingNamespacesInScope() -> String {
        LibXML2.ensureInitialised()
        guard let copyDocument = xmlNewDoc("1.0") else { return "" }
        defer { xmlFreeDoc(copyDocument) }
        guard let copy = xmlDocCopyNode(node, copyDocument, 1) else { return "" }
        xmlDocSetRootElement(copyDocument, copy)
        var declared = Set(namespaceDeclarations.map(\.prefix))
        // The default namespace is left alone: declaring it could put unqualified children into it.
        for (prefix, uri) in namespacesInScope.sorted(by: { $0.key < $1.key }) where !prefix.isEmpty && !declared.contains(prefix) {
            if prefix == "xml" { continue }
            _ = xmlNewNs(copy, uri, prefix)
            declared.insert(prefix)
        }
        xmlReconciliateNs(copyDocument, copy)
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, copyDocument, copy, 0, 0)
        return LibXML2.string(xmlBufferContent(buffer)) ?? ""
    }
}

/// A piece of an element's content.
public enum XMLContentNode {
    case element(XMLElement)
    case text(String)
}

extension AnyXMLElement {
    /// Keeps an element whose type the bindings do not know, with the namespaces its QName values may use.
    public init(keepingNamespacesInScope element: XMLElement) {
        self.init(name: element.name, xml: element.serializedKeepingNamespacesInScope())
    }
}

extension XMLWriter {
    /// Writes `xsi:type="prefix:Local"` on the element being started, declaring the type's namespace if needed.
    public mutating func xsiType(_ type: XMLName) {
        attribute(XMLName(XMLName.xsiNamespace, "type"), qualifiedNameValue(type))
    }

    /// Writes a kept element's attributes and content (not its name: the container wrote that) into
    /// the element being started. An `xsi:type` is rewritten with the writer's own prefixes.
    public mutating func content(of kept: AnyXMLElement) throws {
        let element = try kept.element()
        for (name, value) in element.attributes {
            if name.namespace == XMLName.xsiNamespace, name.localName == "type", let type = try element.xsiType() {
                xsiType(type)
            } else {
                attribute(name, value)
            }
        }
        for node in element.contentNodes {
            switch node {
            case .element(let child): raw(child.serializedKeepingNamespacesInScope())
            case .text(let text): self.text(text)
            }
        }
    }
}
