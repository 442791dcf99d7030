import CLibXML2
import Foundation
import Testing

/// The official eHealth XSDs, kept outside the repository in `../shared/reference/ehealth-schemas`,
/// and a validator for the SOAP messages the sandbox answers with (the approach of
/// Tests/BindingsTests/SchemaValidator.swift, for whole envelopes).
///
/// Tests that exist only to check conformance carry `.enabled(if: OfficialSchemas.available, ...)`
/// so that a checkout without the folder reports them as skipped by name; the other tests check
/// what they recorded when the folder is there and say nothing when it is not.
enum OfficialSchemas {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repositoryRoot.appendingPathComponent("../shared/reference/ehealth-schemas").standardizedFileURL

    static let certRAProtocol = folder.appendingPathComponent("ehealth-etee/XSD/ehealth-certra-schema-protocol-2_0.xsd")
    static let etkRAProtocol = folder.appendingPathComponent("ehealth-etee/XSD/ehealth-etkra-schema-protocol-2_0.xsd")
    static let soaErrors = folder.appendingPathComponent("ehealth-errors/XSD/ehealth-errors-schema-soa-1_1.xsd")

    static var available: Bool {
        [certRAProtocol, etkRAProtocol, soaErrors].allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    static let skipReason: Comment = "official XSDs not found at \(folder.path)"

    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    /// The SOAP 1.1 envelope schema (http://schemas.xmlsoap.org/soap/envelope/), the parts a
    /// document/literal message uses: Envelope (Header?, Body), Body (any, lax) and Fault
    /// (unqualified faultcode QName, faultstring, faultactor?, detail?).
    static let soapEnvelopeSchema = """
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="\(soapNamespace)" targetNamespace="\(soapNamespace)">
      <xs:element name="Envelope" type="tns:Envelope"/>
      <xs:complexType name="Envelope">
        <xs:sequence>
          <xs:element ref="tns:Header" minOccurs="0"/>
          <xs:element ref="tns:Body" minOccurs="1"/>
          <xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
        </xs:sequence>
        <xs:anyAttribute namespace="##other" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Header" type="tns:Header"/>
      <xs:complexType name="Header">
        <xs:sequence><xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##other" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Body" type="tns:Body"/>
      <xs:complexType name="Body">
        <xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##any" processContents="lax"/>
      </xs:complexType>
      <xs:element name="Fault" type="tns:Fault"/>
      <xs:complexType name="Fault" final="extension">
        <xs:sequence>
          <xs:element name="faultcode" type="xs:QName"/>
          <xs:element name="faultstring" type="xs:string"/>
          <xs:element name="faultactor" type="xs:anyURI" minOccurs="0"/>
          <xs:element name="detail" type="tns:detail" minOccurs="0"/>
        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="detail">
        <xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
        <xs:anyAttribute namespace="##any" processContents="lax"/>
      </xs:complexType>
    </xs:schema>
    """

    /// One schema importing SOAP 1.1, both protocols and the SOA errors. Imports name absolute
    /// file URLs; nothing is fetched from the network.
    static func wrapperSchema(soapSchemaFile: URL) -> String {
        func importing(_ namespace: String, _ file: URL) -> String {
            #"  <xs:import namespace="\#(namespace)" schemaLocation="\#(file.absoluteString)"/>"#
        }
        return """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
        \(importing(soapNamespace, soapSchemaFile))
        \(importing("urn:be:fgov:ehealth:certra:protocol:v2", certRAProtocol))
        \(importing("urn:be:fgov:ehealth:etkra:protocol:v2", etkRAProtocol))
        \(importing("urn:be:fgov:ehealth:errors:soa:v1", soaErrors))
        </xs:schema>
        """
    }

    /// Compiled on first use, once for the whole test run.
    static let validator: Result<EnvelopeSchemaValidator, SchemaValidationError> = {
        do {
            let soapFile = FileManager.default.temporaryDirectory
                .appendingPathComponent("sandbox-tests-soap11-envelope-\(UUID().uuidString).xsd")
            try Data(soapEnvelopeSchema.utf8).write(to: soapFile)
            defer { try? FileManager.default.removeItem(at: soapFile) }
            return .success(try EnvelopeSchemaValidator(schemaText: wrapperSchema(soapSchemaFile: soapFile)))
        } catch let error as SchemaValidationError {
            return .failure(error)
        } catch {
            return .failure(SchemaValidationError(messages: ["\(error)"]))
        }
    }()

    /// The schema violations of a SOAP response; empty when it is valid.
    static func violations(ofEnvelope data: Data) throws -> [String] {
        try validator.get().violations(ofEnvelope: data)
    }
}

/// Validates SOAP 1.1 envelopes with libxml2: the whole envelope against SOAP 1.1 (payloads lax),
/// then each payload on its own, strictly, as a validation root: the Body's element, or every
/// element of a Fault's detail. A payload the schemas do not declare is a violation.
final class EnvelopeSchemaValidator: @unchecked Sendable {
    // Compiled once and never mutated afterwards; libxml2 allows one schema to serve many
    // validation contexts, each used by one thread.
    private let schema: xmlSchemaPtr

    init(schemaText: String) throws {
        LibXML2Messages.ensureInitialised()
        // The parser context keeps a pointer into the text until xmlSchemaParse has run.
        let text = strdup(schemaText)
        defer { free(text) }
        guard let context = text.flatMap({ xmlSchemaNewMemParserCtxt($0, Int32(strlen($0))) }) else {
            throw SchemaValidationError(messages: ["libxml2 could not read the wrapper schema"])
        }
        defer { xmlSchemaFreeParserCtxt(context) }
        let collector = LibXML2Messages()
        let compiled: xmlSchemaPtr? = collector.collecting { userData in
            xmlSchemaSetParserStructuredErrors(context, LibXML2Messages.handler, userData)
            return LibXML2Messages.withoutNetwork { xmlSchemaParse(context) }
        }
        guard let compiled else {
            throw SchemaValidationError(messages: ["cannot compile the official schemas"] + collector.messages)
        }
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
    }

    func violations(ofEnvelope data: Data) -> [String] {
        let bytes = Array(data)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "response.xml", nil, options) }
        }
        guard let document else { return ["the response is not well-formed XML"] }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document), Self.hasName(root, OfficialSchemas.soapNamespace, "Envelope") else {
            return ["the response is not a SOAP 1.1 Envelope"]
        }
        var found = validate { xmlSchemaValidateDoc($0, document) }.map { "envelope: \($0)" }
        guard let body = Self.children(of: root).first(where: { Self.hasName($0, OfficialSchemas.soapNamespace, "Body") }) else {
            return found + ["the Envelope has no Body"]
        }
        let payloads = Self.children(of: body)
        guard payloads.count == 1, let payload = payloads.first else {
            return found + ["the Body holds \(payloads.count) elements, not one"]
        }
        var roots = [payload]
        if Self.hasName(payload, OfficialSchemas.soapNamespace, "Fault") {
            let detail = Self.children(of: payload).first { $0.pointee.ns == nil && Self.localName($0) == "detail" }
            roots = detail.map(Self.children(of:)) ?? []
        }
        for element in roots {
            let name = Self.localName(element)
            found += validate { xmlSchemaValidateOneElement($0, element) }.map { "\(name): \($0)" }
        }
        return found
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
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func hasName(_ node: xmlNodePtr, _ namespace: String, _ name: String) -> Bool {
        guard let href = node.pointee.ns?.pointee.href else { return false }
        return String(cString: href) == namespace && localName(node) == name
    }
}

struct SchemaValidationError: Error, CustomStringConvertible {
    let messages: [String]
    var description: String { messages.joined(separator: "\n") }
}

/// Collects libxml2's structured errors through the `void *userData` its callbacks carry.
final class LibXML2Messages: @unchecked Sendable {
    // Only touched by the thread running the libxml2 call that reports into it.
    private(set) var messages: [String] = []

    static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    static func ensureInitialised() { _ = initialised }

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
    /// read local files. The loader is process-wide, hence the lock.
    static func withoutNetwork<Result>(_ body: () -> Result) -> Result {
        loaderLock.lock()
        defer { loaderLock.unlock() }
        let previous = xmlGetExternalEntityLoader()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
        defer { xmlSetExternalEntityLoader(previous) }
        return body()
    }
}
