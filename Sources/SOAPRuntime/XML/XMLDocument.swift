import CLibXML2
import Foundation

/// A parsed XML document owned by Swift. Elements borrowed from it keep it alive.
///
/// Parsing is locked down for hostile input by `HardenedXMLParse`: size and structure limits,
/// no network access, no DTD loading, no entity substitution, no DOCTYPE (but in local files).
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
    /// network); the other limits hold as for any document.
    public convenience init(parsingLocalFile text: String, limits: XMLParseLimits = .default) throws {
        let document = try Array(text.utf8).withUnsafeBytes {
            try HardenedXMLParse.document($0, limits: limits, doctype: .allowInternalSubset)
        }
        self.init(owning: document)
    }

    convenience init(parsingBytes bytes: [UInt8], limits: XMLParseLimits) throws {
        self.init(owning: try bytes.withUnsafeBytes { try HardenedXMLParse.document($0, limits: limits) })
    }

    var rootPointer: xmlNodePtr? { xmlDocGetRootElement(pointer) }

    /// The document element.
    public var root: XMLElement {
        XMLElement(node: rootPointer!, document: self)
    }
}
