import CLibXML2
import Foundation

/// A parsed XML document owned by Swift. Elements borrowed from it keep it alive.
///
/// Parsing is locked down for hostile input by `HardenedXMLParse`: size and structure limits,
/// no network access, no DTD loading, no entity substitution, no DOCTYPE at all.
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

    convenience init(parsingBytes bytes: [UInt8], limits: XMLParseLimits) throws {
        self.init(owning: try bytes.withUnsafeBytes { try HardenedXMLParse.document($0, limits: limits) })
    }

    var rootPointer: xmlNodePtr? { xmlDocGetRootElement(pointer) }

    /// The document element.
    public var root: XMLElement {
        XMLElement(node: rootPointer!, document: self)
    }
}
