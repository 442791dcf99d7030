import Foundation

/// SOAP 1.1 envelopes (CertRA and EtkRA speak SOAP 1.1 only, document/literal, no header).
public enum SOAPEnvelope {
    public static let namespace = "http://schemas.xmlsoap.org/soap/envelope/"
    /// Recognised only to say clearly that it is the wrong version.
    public static let soap12Namespace = "http://www.w3.org/2003/05/soap-envelope"
    public static let prefix = "soapenv"

    public static let envelopeName = XMLName(namespace, "Envelope")
    public static let headerName = XMLName(namespace, "Header")
    public static let bodyName = XMLName(namespace, "Body")
    public static let faultName = XMLName(namespace, "Fault")

    // MARK: writing

    /// A request envelope whose body holds `value` as the element `name`. No XML declaration:
    /// the text is UTF-8, which is XML's default.
    public static func request<Value: XMLContentCodable>(
        body name: XMLName, _ value: Value, preferredPrefixes: [String: String] = [:]
    ) throws -> String {
        try envelope(body: name, value, preferredPrefixes: preferredPrefixes)
    }

    /// A response envelope; the same shape as a request, for a sandbox that answers.
    public static func response<Value: XMLContentCodable>(
        body name: XMLName, _ value: Value, preferredPrefixes: [String: String] = [:]
    ) throws -> String {
        try envelope(body: name, value, preferredPrefixes: preferredPrefixes)
    }

    /// A fault envelope. Its `faultcode` uses the `soapenv` prefix bound on the Envelope.
    public static func fault(_ fault: SOAPFault) -> String {
        var writer = XMLWriter(preferredPrefixes: [namespace: prefix])
        writer.startElement(envelopeName)
        writer.startElement(bodyName)
        fault.write(to: &writer)
        writer.endElement()
        writer.endElement()
        return writer.output
    }

    private static func envelope<Value: XMLContentCodable>(
        body name: XMLName, _ value: Value, preferredPrefixes: [String: String]
    ) throws -> String {
        var prefixes = preferredPrefixes
        prefixes[namespace] = prefix
        var writer = XMLWriter(preferredPrefixes: prefixes)
        writer.startElement(envelopeName)
        writer.startElement(bodyName)
        try writer.element(name, value)
        writer.endElement()
        writer.endElement()
        return writer.output
    }

    // MARK: reading

    /// Parses a SOAP 1.1 message down to its one payload element.
    ///
    /// Throws `XMLError` for bytes that are not acceptable XML (malformed, too large, any
    /// DOCTYPE), `SOAPError` for XML that is not a usable SOAP 1.1 message, and `SOAPFault`
    /// when the body holds a fault.
    public static func parse(_ data: Data, limits: XMLParseLimits = .default) throws -> SOAPMessage {
        let document = try XMLDocument(parsing: data, limits: limits)
        let root = document.root
        guard root.hasName(namespace, "Envelope") else {
            if root.hasName(soap12Namespace, "Envelope") {
                throw SOAPError(.notSOAP, "the message is a SOAP 1.2 envelope; these services speak SOAP 1.1 (\(namespace))")
            }
            throw SOAPError(.notSOAP, "the document element is \(root.name), not a SOAP 1.1 Envelope")
        }
        var header: XMLElement?
        var body: XMLElement?
        var child = root.firstChild
        while let element = child {
            if element.hasName(namespace, "Body") {
                body = element
                break
            }
            if element.hasName(namespace, "Header"), header == nil { header = element }
            child = element.nextSibling
        }
        guard let body else {
            throw SOAPError(.missingBody, "the SOAP Envelope has no Body")
        }
        let elements = body.children
        if let faultElement = elements.first(where: { $0.hasName(namespace, "Fault") }) {
            throw SOAPFault(element: faultElement)
        }
        guard let payload = elements.first else {
            throw SOAPError(.emptyBody, "the SOAP Body holds no element")
        }
        guard elements.count == 1 else {
            let names = elements.map { $0.name.description }.joined(separator: ", ")
            throw SOAPError(.multiplePayloads, "the SOAP Body holds \(elements.count) elements (\(names)); document/literal expects one")
        }
        return SOAPMessage(envelope: root, header: header, payload: payload)
    }
}

/// A parsed SOAP message: the envelope and the body's one payload element.
public struct SOAPMessage: Sendable {
    public let envelope: XMLElement
    public let header: XMLElement?
    public let payload: XMLElement
}
