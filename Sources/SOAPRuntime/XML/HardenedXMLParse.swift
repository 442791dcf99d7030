import CLibXML2
import Foundation

/// The one hardened libxml2 parse of the code base; every tree built from bytes that came from
/// outside (SOAP messages, signed documents, documents to validate) is built here.
///
/// In order: the size limit; the structural limits and any DOCTYPE, on the bytes before
/// libxml2 builds anything (`XMLStructureScan`); then libxml2 with no network access, no DTD
/// loading and no entity substitution, stopping at the first sign of a DOCTYPE should one get
/// past the scan (SOAP 1.1 forbids them), so external entities and entity-expansion bombs never
/// get a chance to run.
public enum HardenedXMLParse {
    /// What a DOCTYPE declaration meets. Messages from outside refuse it (SOAP 1.1 forbids it);
    /// local, trusted files (schemas: the W3C's own start with one) may carry an internal subset,
    /// which is read, while nothing external is ever loaded (no DTD, no entity, no network).
    public enum DoctypePolicy: Sendable {
        case refuse
        case allowInternalSubset
    }

    /// A tree the caller owns and frees with `xmlFreeDoc`; it always has a document element.
    /// `mergeCDATA`: CDATA sections become plain text (what readers want; C14N does the same).
    public static func document(_ bytes: UnsafeRawBufferPointer, limits: XMLParseLimits, mergeCDATA: Bool = true,
                                doctype: DoctypePolicy = .refuse) throws -> xmlDocPtr {
        LibXML2.ensureInitialised()
        guard bytes.count <= limits.maximumBytes else {
            throw XMLError(.tooLarge, "document of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes) bytes")
        }
        guard bytes.count > 0, let base = bytes.baseAddress else {
            throw XMLError(.malformed, "the document is empty")
        }
        guard bytes.count <= Int(Int32.max) else {
            throw XMLError(.tooLarge, "document of \(bytes.count) bytes exceeds what libxml2 reads in one piece")
        }
        try XMLStructureScan.check(bytes, limits: limits, doctype: doctype)
        guard let context = xmlCreateMemoryParserCtxt(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) else {
            throw XMLError(.malformed, "libxml2 could not create a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
        if mergeCDATA { options |= XML_PARSE_NOCDATA.rawValue }
        xmlCtxtUseOptions(context, Int32(options))
        if doctype == .refuse {
            context.pointee.sax.pointee.internalSubset = { userData, _, _, _ in
                guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
                context.pointee._private = UnsafeMutableRawPointer(bitPattern: 1)
                xmlStopParser(context)
            }
        }
        xmlParseDocument(context)
        let sawDoctype = context.pointee._private != nil
        let parsed = context.pointee.myDoc
        guard !sawDoctype, context.pointee.wellFormed != 0, let parsed, xmlDocGetRootElement(parsed) != nil else {
            if let parsed { xmlFreeDoc(parsed) }
            if sawDoctype { throw XMLError(.doctypeForbidden, "a DOCTYPE declaration is not allowed") }
            if parsed != nil, context.pointee.wellFormed != 0 { throw XMLError(.malformed, "the document has no root element") }
            guard let error = xmlCtxtGetLastError(context), let message = error.pointee.message else {
                throw XMLError(.malformed, "not well-formed XML")
            }
            let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            throw XMLError(.malformed, text, line: error.pointee.line > 0 ? Int(error.pointee.line) : nil)
        }
        return parsed
    }

    /// The same over any bytes.
    public static func document(_ bytes: some DataProtocol, limits: XMLParseLimits, mergeCDATA: Bool = true,
                                doctype: DoctypePolicy = .refuse) throws -> xmlDocPtr {
        if let parsed = try bytes.withContiguousStorageIfAvailable({
            try document(UnsafeRawBufferPointer($0), limits: limits, mergeCDATA: mergeCDATA, doctype: doctype)
        }) {
            return parsed
        }
        return try Array(bytes).withUnsafeBytes { try document($0, limits: limits, mergeCDATA: mergeCDATA, doctype: doctype) }
    }
}
