import CLibXML2
import Foundation

/// A parsed XML document owned by Swift. Elements borrowed from it keep it alive.
///
/// Parsing is locked down for hostile input: no network access, no DTD loading, no entity
/// substitution, and any DOCTYPE at all is refused (SOAP 1.1 forbids them), so external
/// entities and entity-expansion bombs never get a chance to run.
public final class XMLDocument: @unchecked Sendable {
    // The tree is never mutated after parsing, so sharing it between tasks is safe.
    let pointer: xmlDocPtr

    init(owning pointer: xmlDocPtr) {
        self.pointer = pointer
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    public convenience init(parsing data: some DataProtocol, limits: XMLParseLimits = .default) throws {
        let bytes = Array(data)
        try self.init(parsingBytes: bytes, limits: limits)
    }

    public convenience init(parsing text: String, limits: XMLParseLimits = .default) throws {
        try self.init(parsingBytes: Array(text.utf8), limits: limits)
    }

    /// For local, trusted files only (schemas: the W3C's own start with a DOCTYPE). The DOCTYPE's
    /// internal subset is read but nothing external is ever loaded (no DTD, no external entity, no
    /// network) and entity references in content are not expanded.
    public convenience init(parsingLocalFile text: String, limits: XMLParseLimits = .default) throws {
        try self.init(parsingBytes: Array(text.utf8), limits: limits, allowDoctype: true)
    }

    convenience init(parsingBytes bytes: [UInt8], limits: XMLParseLimits, allowDoctype: Bool = false) throws {
        LibXML2.ensureInitialised()
        guard bytes.count <= limits.maximumBytes else {
            throw XMLError(.tooLarge, "document of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes) bytes")
        }
        guard !bytes.isEmpty else { throw XMLError(.malformed, "the document is empty") }
        let document: xmlDocPtr = try bytes.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let context = xmlCreateMemoryParserCtxt(chars.baseAddress, Int32(chars.count)) else {
                    throw XMLError(.malformed, "libxml2 could not create a parser")
                }
                defer { xmlFreeParserCtxt(context) }
                let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
                    | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
                xmlCtxtUseOptions(context, options)
                // Stop at the first sign of a DOCTYPE, before any declaration in it is processed.
                if !allowDoctype { context.pointee.sax.pointee.internalSubset = { userData, _, _, _ in
                    guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
                    context.pointee._private = UnsafeMutableRawPointer(bitPattern: 1)
                    xmlStopParser(context)
                } }
                xmlParseDocument(context)
                let sawDoctype = context.pointee._private != nil
                let wellFormed = context.pointee.wellFormed != 0
                let parsed = context.pointee.myDoc
                if sawDoctype || !wellFormed || parsed == nil {
                    if let parsed { xmlFreeDoc(parsed) }
                    if sawDoctype {
                        throw XMLError(.doctypeForbidden, "a DOCTYPE declaration is not allowed in SOAP messages")
                    }
                    let (message, line) = Self.lastError(context)
                    throw XMLError(.malformed, message, line: line)
                }
                return parsed!
            }
        }
        self.init(owning: document)
        guard rootPointer != nil else {
            throw XMLError(.malformed, "the document has no root element")
        }
    }

    private static func lastError(_ context: xmlParserCtxtPtr) -> (String, Int?) {
        guard let error = xmlCtxtGetLastError(context), let message = error.pointee.message else {
            return ("not well-formed XML", nil)
        }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return (text, error.pointee.line > 0 ? Int(error.pointee.line) : nil)
    }

    var rootPointer: xmlNodePtr? { xmlDocGetRootElement(pointer) }

    /// The document element.
    public var root: XMLElement {
        XMLElement(node: rootPointer!, document: self)
    }
}
