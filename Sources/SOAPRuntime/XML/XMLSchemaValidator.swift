import CLibXML2
import Foundation

/// Validates documents against a compiled XML Schema with libxml2. Failures come back as
/// libxml2's own messages, so a report says which element broke which rule.
///
/// Compiling never touches the network: imports resolve to local files only.
public final class XMLSchemaValidator: @unchecked Sendable {
    // Compiled once and never mutated afterwards; libxml2 allows one schema to serve many
    // validation contexts, each used by one thread.
    private let schema: xmlSchemaPtr
    /// The parse limits of the documents validated.
    let limits = XMLParseLimits.default

    /// Compiles a schema document held in memory; its imports must name absolute locations.
    public convenience init(schemaText: String) throws {
        // The parser context keeps a pointer into the text until xmlSchemaParse has run, so the
        // text gets its own allocation that lives until then.
        let text = strdup(schemaText)
        defer { free(text) }
        try self.init(compiling: text.flatMap { xmlSchemaNewMemParserCtxt($0, Int32(strlen($0))) }, named: "an in-memory schema")
    }

    /// Compiles a schema file and everything it imports or includes.
    public convenience init(schemaFile: URL) throws {
        try self.init(compiling: xmlSchemaNewParserCtxt(schemaFile.path), named: schemaFile.path)
    }

    /// Compiles a set of schema documents held in memory (the ones generated bindings embed):
    /// one schema importing every namespace of the set. The documents are written to a private
    /// temporary folder for libxml2 to resolve their relative imports, and removed afterwards.
    public convenience init(documents: [SchemaDocument]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-" + UUID().uuidString, isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var imports: [String: URL] = [:]
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for document in documents {
                let components = document.path.split(separator: "/").map(String.init)
                guard !components.isEmpty, !components.contains(".."), !document.path.hasPrefix("/") else {
                    throw XMLSchemaValidationError(messages: ["the schema document path \"\(document.path)\" is not a relative path inside the set"])
                }
                let file = components.reduce(folder) { $0.appendingPathComponent($1) }
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(document.text.utf8).write(to: file)
                if let namespace = document.targetNamespace, imports[namespace] == nil { imports[namespace] = file }
            }
        } catch let error as XMLSchemaValidationError {
            throw error
        } catch {
            throw XMLSchemaValidationError(messages: ["cannot write the schema documents to \(folder.path): \(error)"])
        }
        let lines = imports.keys.sorted().map { namespace in
            #"  <xs:import namespace="\#(Self.escaped(namespace))" schemaLocation="\#(Self.escaped(imports[namespace]!.absoluteString))"/>"#
        }
        try self.init(schemaText: """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        \(lines.joined(separator: "\n"))
        </xs:schema>
        """)
    }

    private static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
    }

    private init(compiling context: xmlSchemaParserCtxtPtr?, named name: String) throws {
        LibXML2.ensureInitialised()
        guard let context else { throw XMLSchemaValidationError(messages: ["libxml2 could not read \(name)"]) }
        defer { xmlSchemaFreeParserCtxt(context) }
        let collector = LibXML2Messages()
        let compiled: xmlSchemaPtr? = collector.collecting { userData in
            xmlSchemaSetParserStructuredErrors(context, LibXML2Messages.handler, userData)
            return LibXML2Messages.withoutNetwork { xmlSchemaParse(context) }
        }
        guard let compiled else {
            throw XMLSchemaValidationError(messages: ["cannot compile \(name)"] + collector.messages)
        }
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// The schema violations of a document; empty when it is valid.
    public func violations(of xml: String) -> [String] {
        violations(of: Data(xml.utf8))
    }

    public func violations(of data: Data) -> [String] {
        withParsed(data) { document in
            validate { xmlSchemaValidateDoc($0, document) }
        }
    }

    /// The violations of a SOAP 1.1 message's payload: the Body's one element, or every element
    /// of a Fault's detail, each validated on its own as a validation root. With
    /// `includingEnvelope`, the whole document is validated first (the schema must then declare
    /// the SOAP envelope too).
    public func violations(ofEnvelope data: Data, includingEnvelope: Bool = false) -> [String] {
        let soap = SOAPNamespace.uri
        return withParsed(data) { document -> [String] in
            guard let root = xmlDocGetRootElement(document), Self.hasName(root, soap, "Envelope") else {
                return ["the message is not a SOAP 1.1 Envelope"]
            }
            var found = includingEnvelope ? validate { xmlSchemaValidateDoc($0, document) }.map { "envelope: \($0)" } : []
            guard let body = Self.children(of: root).first(where: { Self.hasName($0, soap, "Body") }) else {
                return found + ["the Envelope has no Body"]
            }
            let payloads = Self.children(of: body)
            guard payloads.count == 1, let payload = payloads.first else {
                return found + ["the Body holds \(payloads.count) elements, not one"]
            }
            var roots = [payload]
            if Self.hasName(payload, soap, "Fault") {
                let detail = Self.children(of: payload).first { $0.pointee.ns == nil && Self.localName($0) == "detail" }
                roots = detail.map(Self.children(of:)) ?? []
            }
            for element in roots {
                let name = Self.localName(element)
                found += validate { xmlSchemaValidateOneElement($0, element) }.map { "\(name): \($0)" }
            }
            return found
        }
    }

    /// Validation sees the same hardened tree as every other reader (`HardenedXMLParse`): a
    /// document the client would refuse to read is not validated either.
    private func withParsed(_ data: Data, _ body: (xmlDocPtr) -> [String]) -> [String] {
        let document: xmlDocPtr
        do {
            document = try HardenedXMLParse.document(data, limits: limits)
        } catch let error as XMLError {
            return ["the document is not acceptable XML: \(error.reason)" + (error.line.map { " (line \($0))" } ?? "")]
        } catch {
            return ["the document is not acceptable XML: \(error)"]
        }
        defer { xmlFreeDoc(document) }
        return body(document)
    }

    private func validate(_ run: (xmlSchemaValidCtxtPtr) -> Int32) -> [String] {
        let collector = LibXML2Messages()
        return collector.collecting { userData -> [String] in
            guard let validation = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not create a validation context"] }
            defer { xmlSchemaFreeValidCtxt(validation) }
            xmlSchemaSetValidStructuredErrors(validation, LibXML2Messages.handler, userData)
            let result = run(validation)
            if result == 0 { return [] }
            return collector.messages.isEmpty ? ["libxml2 reported failure \(result) without a message"] : collector.messages
        }
    }

    private static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    private static func localName(_ node: xmlNodePtr) -> String {
        String(cString: node.pointee.name)
    }

    private static func hasName(_ node: xmlNodePtr, _ namespace: String, _ name: String) -> Bool {
        guard let href = node.pointee.ns?.pointee.href else { return false }
        return String(cString: href) == namespace && localName(node) == name
    }
}

private enum SOAPNamespace {
    static let uri = "http://schemas.xmlsoap.org/soap/envelope/"
}

public struct XMLSchemaValidationError: Error, Sendable, CustomStringConvertible {
    public let messages: [String]
    public init(messages: [String]) { self.messages = messages }
    public var description: String { messages.joined(separator: "\n") }
}

/// Collects libxml2's structured errors through the `void *userData` its callbacks carry.
final class LibXML2Messages: @unchecked Sendable {
    // Only touched by the thread running the libxml2 call that reports into it.
    private(set) var messages: [String] = []

    static let handler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let collector = Unmanaged<LibXML2Messages>.fromOpaque(userData).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "(no message)"
        collector.messages.append(error.pointee.line > 0 ? "line \(error.pointee.line): \(message)" : message)
    }

    func collecting<Result>(_ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        let userData = Unmanaged.passUnretained(self).toOpaque()
        return withExtendedLifetime(self) { body(userData) }
    }

    private static let loaderLock = NSLock()

    /// Runs `body` with libxml2's loader refusing http and ftp, so compiling a schema can only
    /// read local files, whatever its imports say. The loader is process-wide, hence the lock.
    static func withoutNetwork<Result>(_ body: () -> Result) -> Result {
        loaderLock.lock()
        defer { loaderLock.unlock() }
        let previous = xmlGetExternalEntityLoader()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
        defer { xmlSetExternalEntityLoader(previous) }
        return body()
    }
}
