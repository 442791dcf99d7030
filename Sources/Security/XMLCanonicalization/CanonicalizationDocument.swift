import CLibXML2
import Foundation
import SOAPRuntime

/// A parsed XML document to canonicalize, sign or verify: the Security module's own libxml2 tree,
/// because canonicalization needs the tree itself (SOAPRuntime's `XMLDocument` keeps it private).
///
/// Parsing is SOAPRuntime's `HardenedXMLParse`: size and structure limits, no network, no DTD
/// loading, no entity substitution, no DOCTYPE.
/// The tree is never changed once the document is shared, so it is safe to read from several tasks.
public final class CanonicalizationDocument: @unchecked Sendable {
    let pointer: xmlDocPtr

    public convenience init(parsing bytes: some DataProtocol, limits: XMLParseLimits = .default) throws {
        if let document = try bytes.withContiguousStorageIfAvailable({ try Self.parse(UnsafeRawBufferPointer($0), limits: limits) }) {
            self.init(owning: document)
        } else {
            let contiguous = Array(bytes)
            self.init(owning: try contiguous.withUnsafeBytes { try Self.parse($0, limits: limits) })
        }
    }

    public convenience init(parsing text: String, limits: XMLParseLimits = .default) throws {
        var text = text
        self.init(owning: try text.withUTF8 { try Self.parse(UnsafeRawBufferPointer($0), limits: limits) })
    }

    init(owning pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The document element.
    public var documentElement: Element {
        // A parse without a document element fails, so there always is one.
        Element(node: xmlDocGetRootElement(pointer)!, document: self)
    }

    /// The element whose unqualified `Id` attribute has this value, if exactly one has it.
    public func element(withID id: String) -> Element? {
        var found: xmlNodePtr?
        var count = 0
        XMLTree.forEachElement(below: xmlDocGetRootElement(pointer)) { node in
            if let value = XMLTree.attributeValue(node, "Id"), value == id {
                found = node
                count += 1
            }
        }
        guard count == 1, let found else { return nil }
        return Element(node: found, document: self)
    }

    // MARK: parsing

    /// Parses UTF-8 (or declared-encoding) bytes into a tree the caller owns, through
    /// SOAPRuntime's one hardened parse; its refusals become `malformedXML`.
    static func parse(_ bytes: UnsafeRawBufferPointer, limits: XMLParseLimits) throws -> xmlDocPtr {
        do {
            return try HardenedXMLParse.document(bytes, limits: limits, mergeCDATA: false)
        } catch let error as XMLError {
            var reason = error.code == .doctypeForbidden ? "a DOCTYPE declaration is not allowed in signed documents" : error.reason
            if let line = error.line { reason += " (line \(line))" }
            throw SecurityError(.malformedXML, reason)
        }
    }
}

extension CanonicalizationDocument {
    /// A read-only view of one element; it keeps its document alive.
    public struct Element: @unchecked Sendable, Equatable {
        let node: xmlNodePtr
        public let document: CanonicalizationDocument

        init(node: xmlNodePtr, document: CanonicalizationDocument) {
            self.node = node
            self.document = document
        }

        public static func == (lhs: Element, rhs: Element) -> Bool { lhs.node == rhs.node }

        public var localName: String { String(cString: node.pointee.name) }

        public var namespace: String? { node.pointee.ns?.pointee.href.map { String(cString: $0) } }

        public var name: XMLName { XMLName(namespace, localName) }

        /// The value of an attribute; `namespace` nil means an unqualified attribute.
        public func attribute(_ localName: String, namespace: String? = nil) -> String? {
            XMLTree.attributeValue(node, localName, namespace: namespace)
        }

        /// The child elements, in document order.
        public var children: [Element] {
            var result: [Element] = []
            var child = XMLTree.firstChildElement(node)
            while let current = child {
                result.append(Element(node: current, document: document))
                child = XMLTree.nextSiblingElement(current)
            }
            return result
        }

        /// The parent element; nil for the document element.
        public var parent: Element? {
            guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
            return Element(node: parent, document: document)
        }

        /// The concatenated text and CDATA directly inside this element.
        public var text: String { XMLTree.directText(node) }

        /// The first descendant element (depth first, document order) with this name.
        public func firstDescendant(_ namespace: String?, _ localName: String) -> Element? {
            var found: xmlNodePtr?
            XMLTree.forEachElement(below: node) { candidate in
                if found == nil, candidate != node, XMLTree.hasName(candidate, namespace, localName) { found = candidate }
            }
            return found.map { Element(node: $0, document: document) }
        }
    }
}

/// libxml2 tree walking shared by canonicalization, signing and verification. Internal: raw
/// pointers never leave the module.
enum XMLTree {
    @inline(__always)
    static func hasName(_ node: xmlNodePtr, _ namespace: String?, _ localName: String) -> Bool {
        guard node.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(node.pointee.name, localName) != 0 else { return false }
        switch (namespace, node.pointee.ns?.pointee.href) {
        case (nil, nil): return true
        case let (expected?, actual?): return xmlStrEqual(actual, expected) != 0
        default: return false
        }
    }

    @inline(__always)
    static func firstChildElement(_ node: xmlNodePtr) -> xmlNodePtr? {
        nextElement(from: node.pointee.children)
    }

    @inline(__always)
    static func nextSiblingElement(_ node: xmlNodePtr) -> xmlNodePtr? {
        nextElement(from: node.pointee.next)
    }

    @inline(__always)
    static func nextElement(from start: xmlNodePtr?) -> xmlNodePtr? {
        var candidate = start
        while let current = candidate {
            if current.pointee.type == XML_ELEMENT_NODE { return current }
            candidate = current.pointee.next
        }
        return nil
    }

    static func lastChildElement(_ node: xmlNodePtr) -> xmlNodePtr? {
        var candidate = node.pointee.last
        while let current = candidate {
            if current.pointee.type == XML_ELEMENT_NODE { return current }
            candidate = current.pointee.prev
        }
        return nil
    }

    static func childElements(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = firstChildElement(node)
        while let current = child {
            result.append(current)
            child = nextSiblingElement(current)
        }
        return result
    }

    /// Calls `body` for `root` and every element below it, in document order, without recursion.
    static func forEachElement(below root: xmlNodePtr?, _ body: (xmlNodePtr) throws -> Void) rethrows {
        guard let root else { return }
        var current: xmlNodePtr? = root
        while let node = current {
            try body(node)
            if let child = firstChildElement(node) {
                current = child
                continue
            }
            var climbing: xmlNodePtr? = node
            current = nil
            while let up = climbing, up != root {
                if let sibling = nextSiblingElement(up) {
                    current = sibling
                    break
                }
                climbing = up.pointee.parent
            }
        }
    }

    static func isAncestor(_ ancestor: xmlNodePtr, of node: xmlNodePtr) -> Bool {
        var current = node.pointee.parent
        while let up = current {
            if up == ancestor { return true }
            current = up.pointee.parent
        }
        return false
    }

    /// An attribute's value, read without allocating a libxml2 string.
    static func attributeValue(_ node: xmlNodePtr, _ localName: String, namespace: String? = nil) -> String? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if xmlStrEqual(current.pointee.name, localName) != 0 {
                let href = current.pointee.ns?.pointee.href
                let matches: Bool
                switch (namespace, href) {
                case (nil, nil): matches = true
                case let (expected?, actual?): matches = xmlStrEqual(actual, expected) != 0
                default: matches = false
                }
                if matches { return text(of: current) }
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// The value of an attribute node (its text children; entity references never survive parsing).
    static func text(of attribute: xmlAttrPtr) -> String {
        let first = attribute.pointee.children
        if let only = first, only.pointee.next == nil, let content = only.pointee.content {
            return String(cString: content)
        }
        guard let value = xmlNodeListGetString(attribute.pointee.doc, first, 1) else { return "" }
        defer { ehealth_xmlFree(value) }
        return String(cString: value)
    }

    static func directText(_ node: xmlNodePtr) -> String {
        var result = ""
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                result += String(cString: content)
            }
            child = current.pointee.next
        }
        return result
    }

    /// Replaces an element's content by one text node holding `text` literally.
    static func setText(_ node: xmlNodePtr, _ text: String) {
        xmlNodeSetContent(node, nil)
        xmlNodeAddContent(node, text)
    }
}
