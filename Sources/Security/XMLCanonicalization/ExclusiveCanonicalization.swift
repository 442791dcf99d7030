import CLibXML2
import Foundation

/// Exclusive XML Canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/), the
/// method the eHealth signature profile prescribes for SignedInfo and for the Reference (cookbook
/// 4.3.2). A thin wrapper over libxml2's `xmlC14NExecute`.
public struct ExclusiveCanonicalization: Sendable, Hashable {
    /// The algorithm URI, as `CanonicalizationMethod/@Algorithm` and `Transform/@Algorithm`.
    public static let algorithm = "http://www.w3.org/2001/10/xml-exc-c14n#"
    /// The variant that keeps comments; the profile does not allow it.
    public static let withCommentsAlgorithm = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
    /// The namespace of the `InclusiveNamespaces` parameter element (the algorithm URI itself).
    public static let inclusiveNamespacesNamespace = "http://www.w3.org/2001/10/xml-exc-c14n#"

    /// The `InclusiveNamespaces/@PrefixList`: prefixes treated as by inclusive canonicalization
    /// (rendered wherever in scope, used or not). `#default` stands for the default namespace.
    public var inclusivePrefixes: [String]

    public init(inclusivePrefixes: [String] = []) {
        self.inclusivePrefixes = inclusivePrefixes
    }

    /// From a `PrefixList` attribute value: prefixes separated by XML whitespace.
    public init(prefixList: String) {
        self.inclusivePrefixes = prefixList.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    /// The `PrefixList` attribute value.
    public var prefixList: String { inclusivePrefixes.joined(separator: " ") }

    // MARK: canonicalizing

    /// The whole document (comments, the XML declaration and a DOCTYPE-free prolog's whitespace
    /// dropped; processing instructions outside the document element kept, as C14N says).
    public func canonicalize(_ document: CanonicalizationDocument) throws -> Data {
        try canonicalBytes(document, subtree: nil, excluding: nil)
    }

    /// One element and everything below it: the node set of a same-document reference `#Id`.
    public func canonicalize(_ element: CanonicalizationDocument.Element) throws -> Data {
        try canonicalBytes(element.document, subtree: element.node, excluding: nil)
    }

    /// The enveloped-signature transform followed by this canonicalization: `element`'s subtree
    /// without `signature` and everything below it (https://www.w3.org/TR/xmldsig-core/#sec-EnvelopedSignature).
    public func canonicalize(_ element: CanonicalizationDocument.Element,
                             excludingSignature signature: CanonicalizationDocument.Element) throws -> Data {
        guard element.document === signature.document else {
            throw SecurityError(.canonicalizationFailed, "the signature to exclude is in another document")
        }
        return try canonicalBytes(element.document, subtree: element.node, excluding: signature.node)
    }

    /// Parses and canonicalizes a whole document.
    public func canonicalize(document bytes: some DataProtocol) throws -> Data {
        try canonicalize(CanonicalizationDocument(parsing: bytes))
    }

    // MARK: libxml2

    /// What the visibility callback needs: the subtree root (nil: the whole document) and the
    /// subtree to leave out (the enveloped signature).
    private struct Visibility {
        var subtree: xmlNodePtr?
        var excluded: xmlNodePtr?
    }

    /// libxml2 asks about every node, attribute and namespace node separately, so a node is
    /// visible when walking up from it meets the subtree root before the excluded element.
    /// Namespace nodes are `xmlNs` structures, not nodes: they carry no parent, so the element
    /// they are asked for arrives as `parent` (BUILD-NOTES: exclusive C14N).
    private static let isVisible: xmlC14NIsVisibleCallback = { userData, node, parent in
        guard let userData, let node else { return 0 }
        let visibility = userData.assumingMemoryBound(to: Visibility.self).pointee
        // `type` sits at the same offset in xmlNs and xmlNode; only that field is read here.
        var current: xmlNodePtr? = node.pointee.type == XML_NAMESPACE_DECL ? parent : node
        while let candidate = current {
            if candidate == visibility.excluded { return 0 }
            if candidate == visibility.subtree { return 1 }
            current = candidate.pointee.parent
        }
        return visibility.subtree == nil ? 1 : 0
    }

    func canonicalBytes(_ document: CanonicalizationDocument, subtree: xmlNodePtr?, excluding: xmlNodePtr?) throws -> Data {
        guard let buffer = xmlAllocOutputBuffer(nil) else {
            throw SecurityError(.canonicalizationFailed, "libxml2 could not allocate an output buffer")
        }
        defer { xmlOutputBufferClose(buffer) }
        try execute(document, subtree: subtree, excluding: excluding, into: buffer)
        guard let content = xmlOutputBufferGetContent(buffer) else { return Data() }
        return Data(bytes: content, count: xmlOutputBufferGetSize(buffer))
    }

    /// Canonicalizes into a buffer and hands its bytes to `body` without copying them.
    func withCanonicalBytes<Result>(_ document: CanonicalizationDocument, subtree: xmlNodePtr?, excluding: xmlNodePtr?,
                                    _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        guard let buffer = xmlAllocOutputBuffer(nil) else {
            throw SecurityError(.canonicalizationFailed, "libxml2 could not allocate an output buffer")
        }
        defer { xmlOutputBufferClose(buffer) }
        try execute(document, subtree: subtree, excluding: excluding, into: buffer)
        return try body(UnsafeRawBufferPointer(start: xmlOutputBufferGetContent(buffer), count: xmlOutputBufferGetSize(buffer)))
    }

    private func execute(_ document: CanonicalizationDocument, subtree: xmlNodePtr?, excluding: xmlNodePtr?,
                         into buffer: xmlOutputBufferPtr) throws {
        let result: Int32 = withPrefixList { prefixes in
            if subtree == nil && excluding == nil {
                return xmlC14NExecute(document.pointer, nil, nil, Int32(XML_C14N_EXCLUSIVE_1_0.rawValue), prefixes, 0, buffer)
            }
            var visibility = Visibility(subtree: subtree, excluded: excluding)
            return withUnsafeMutablePointer(to: &visibility) { context in
                xmlC14NExecute(document.pointer, Self.isVisible, context, Int32(XML_C14N_EXCLUSIVE_1_0.rawValue), prefixes, 0, buffer)
            }
        }
        guard result >= 0 else {
            throw SecurityError(.canonicalizationFailed, "libxml2 could not canonicalize the document (exclusive C14N 1.0)")
        }
    }

    /// The PrefixList as libxml2 wants it: a NULL-terminated array of C strings (nil when empty).
    private func withPrefixList<Result>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<xmlChar>?>?) -> Result) -> Result {
        guard !inclusivePrefixes.isEmpty else { return body(nil) }
        var strings: [UnsafeMutablePointer<xmlChar>?] = inclusivePrefixes.map { prefix in
            xmlStrdup(prefix)
        }
        strings.append(nil)
        defer { for string in strings { ehealth_xmlFree(string) } }
        return strings.withUnsafeMutableBufferPointer { body($0.baseAddress) }
    }
}

extension SecurityError.Code {
    /// libxml2 failed to canonicalize (out of memory, or a tree it cannot serialize).
    public static let canonicalizationFailed = Self("XML_CANONICALIZATION_FAILED")
    /// The bytes are not acceptable XML: malformed, too large, or carrying a DOCTYPE.
    public static let malformedXML = Self("MALFORMED_XML")
}
