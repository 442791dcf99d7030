import CLibXML2
import Foundation

/// Validates documents against a compiled XML Schema with libxml2; the one place the tests touch
/// libxml2's schema API. Failures come back as libxml2's own messages, so a failing expectation
/// says which element broke which rule.
final class SchemaValidator: @unchecked Sendable {
    // Compiled once and never mutated afterwards; libxml2 allows one schema to serve many
    // validation contexts, each used by one thread.
    private let schema: xmlSchemaPtr

    /// Compiles a schema document held in memory; its imports must name absolute locations.
    convenience init(schemaText: String) throws {
        // The parser context keeps a pointer into the text until xmlSchemaParse has run, so the
        // text gets its own allocation that lives until then.
        let text = strdup(schemaText)
        defer { free(text) }
        try self.init(compiling: text.flatMap { xmlSchemaNewMemParserCtxt($0, Int32(strlen($0))) }, named: "in-memory wrapper schema")
    }

    /// Compiles a schema file and everything it imports or includes.
    convenience init(schemaFile: URL) throws {
        try self.init(compiling: xmlSchemaNewParserCtxt(schemaFile.path), named: schemaFile.path)
    }

    private init(compiling context: xmlSchemaParserCtxtPtr?, named name: String) throws {
        LibXML2Errors.ensureInitialised()
        guard let context else { throw SchemaValidationError(messages: ["libxml2 could not read \(name)"]) }
        defer { xmlSchemaFreeParserCtxt(context) }
        let collector = LibXML2Errors()
        let compiled: xmlSchemaPtr? = collector.collecting { userData in
            xmlSchemaSetParserStructuredErrors(context, LibXML2Errors.handler, userData)
            return LibXML2Errors.withoutNetwork { xmlSchemaParse(context) }
        }
        guard let compiled else {
            throw SchemaValidationError(messages: ["cannot compile \(name)"] + collector.messages)
        }
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// The schema violations of `xml`; empty when the document is valid.
    func violations(of xml: String) -> [String] {
        let bytes = Array(xml.utf8)
        let collector = LibXML2Errors()
        return collector.collecting { userData -> [String] in
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            let document = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "message.xml", nil, options) }
            }
            guard let document else { return ["the document is not well-formed XML"] }
            defer { xmlFreeDoc(document) }
            guard let validation = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not create a validation context"] }
            defer { xmlSchemaFreeValidCtxt(validation) }
            xmlSchemaSetValidStructuredErrors(validation, LibXML2Errors.handler, userData)
            let result = xmlSchemaValidateDoc(validation, document)
            if result == 0 { return [] }
            return collector.messages.isEmpty ? ["libxml2 reported failure \(result) without a message"] : collector.messages
        }
    }
}

struct SchemaValidationError: Error, CustomStringConvertible {
    let messages: [String]
    var description: String { messages.joined(separator: "\n") }
}

/// Collects libxml2's structured errors through the `void *userData` its callbacks carry.
final class LibXML2Errors: @unchecked Sendable {
    // Only touched by the thread running the libxml2 call that reports into it.
    private(set) var messages: [String] = []

    static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    static func ensureInitialised() { _ = initialised }

    static let handler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let collector = Unmanaged<LibXML2Errors>.fromOpaque(userData).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "(no message)"
        collector.messages.append(error.pointee.line > 0 ? "line \(error.pointee.line): \(message)" : message)
    }

    func collecting<Result>(_ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        let userData = Unmanaged.passUnretained(self).toOpaque()
        return withExtendedLifetime(self) { body(userData) }
    }

    private static let loaderLock = NSLock()

    /// Runs `body` with libxml2's loader refusing http and ftp, so compiling a schema can only
    /// read local files, whatever its imports say. The loader is process-wide, hence the lock:
    /// two compilations must not restore each other's loader.
    static func withoutNetwork<Result>(_ body: () -> Result) -> Result {
        loaderLock.lock()
        defer { loaderLock.unlock() }
        let previous = xmlGetExternalEntityLoader()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
        defer { xmlSetExternalEntityLoader(previous) }
        return body()
    }
}
