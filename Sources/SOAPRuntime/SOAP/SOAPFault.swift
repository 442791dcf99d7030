/// A SOAP 1.1 fault: the service refused or failed the request and said why.
///
/// The eHealth platform puts a `BusinessError` or `SystemError` (see `SOAErrorDetail`) in the
/// `detail`; `soaError` is that, when present, and every detail element is also kept as-is.
public struct SOAPFault: Error, Sendable, Equatable, CustomStringConvertible {
    /// The fault codes of SOAP 1.1 section 4.4.1, with the prefix the envelope writer binds.
    public static let clientCode = "soapenv:Client"
    public static let serverCode = "soapenv:Server"

    /// The `faultcode` text as in the message, e.g. `soapenv:Client`.
    public let faultCode: String
    /// The `faultcode` QName resolved against the namespaces in scope, when its prefix is bound.
    public let faultCodeName: XMLName?
    public let faultString: String
    public let faultActor: String?
    /// Every element of `detail`, namespace-complete.
    public let detail: [AnyXMLElement]
    /// The eHealth error among the detail elements, if one is there and well-formed.
    public let soaError: SOAErrorDetail?

    /// A fault to write; a `faultCode` with the `soapenv` prefix resolves to the SOAP namespace.
    public init(faultCode: String, faultString: String, faultActor: String? = nil, detail: [AnyXMLElement] = []) {
        self.faultCode = faultCode
        self.faultCodeName = Self.resolve(faultCode) { $0 == SOAPEnvelope.prefix ? SOAPEnvelope.namespace : nil }
        self.faultString = faultString
        self.faultActor = faultActor
        self.detail = detail
        self.soaError = Self.firstSOAError(in: detail)
    }

    /// A fault carrying an eHealth error, the way the platform answers: `faultstring` is the
    /// error code, `faultcode` is Client for business errors and Server for system errors.
    public init(_ soaError: SOAErrorDetail, faultCode: String? = nil, faultString: String? = nil) throws {
        self.init(faultCode: faultCode ?? (soaError.kind == .business ? Self.clientCode : Self.serverCode),
                  faultString: faultString ?? soaError.code,
                  detail: [try soaError.detailElement()])
    }

    /// Reads a `soapenv:Fault` element. A fault is always reported, so missing parts read as
    /// empty rather than hiding the fault behind a parse error.
    public init(element: XMLElement) {
        var faultCode = ""
        var faultCodeName: XMLName?
        var faultString = ""
        var faultActor: String?
        var detail: [AnyXMLElement] = []
        var child = element.firstChild
        while let current = child {
            child = current.nextSibling
            // SOAP 1.1 says unqualified; some stacks qualify them with the envelope namespace.
            guard current.namespace == nil || current.namespace == SOAPEnvelope.namespace else { continue }
            switch current.localName {
            case "faultcode":
                faultCode = current.text.trimmingXMLWhitespace
                let namespaces = current.namespacesInScope
                faultCodeName = Self.resolve(faultCode) { namespaces[$0] }
            case "faultstring": faultString = current.text
            case "faultactor": faultActor = current.text.trimmingXMLWhitespace
            case "detail": detail = current.children.map { AnyXMLElement($0) }
            default: continue
            }
        }
        self.faultCode = faultCode
        self.faultCodeName = faultCodeName
        self.faultString = faultString
        self.faultActor = faultActor
        self.detail = detail
        self.soaError = Self.firstSOAError(in: detail)
    }

    /// Writes the `soapenv:Fault` element; its children are unqualified (SOAP 1.1 section 4.4).
    public func write(to writer: inout XMLWriter) {
        writer.startElement(SOAPEnvelope.faultName)
        writer.startElement(XMLName(nil, "faultcode"))
        writer.text(faultCode)
        writer.endElement()
        writer.startElement(XMLName(nil, "faultstring"))
        writer.text(faultString)
        writer.endElement()
        if let faultActor {
            writer.startElement(XMLName(nil, "faultactor"))
            writer.text(faultActor)
            writer.endElement()
        }
        if !detail.isEmpty {
            writer.startElement(XMLName(nil, "detail"))
            writer.any(detail)
            writer.endElement()
        }
        writer.endElement()
    }

    private static func resolve(_ qualifiedName: String, namespace: (String) -> String?) -> XMLName? {
        guard !qualifiedName.isEmpty else { return nil }
        let parts = qualifiedName.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1 {
            return XMLName(namespace(""), qualifiedName)
        }
        guard let uri = namespace(String(parts[0])), !parts[1].isEmpty else { return nil }
        return XMLName(uri, String(parts[1]))
    }

    private static func firstSOAError(in detail: [AnyXMLElement]) -> SOAErrorDetail? {
        for element in detail where element.name.namespace == SOAErrorDetail.namespace {
            if let parsed = try? SOAErrorDetail(element: element.element()) { return parsed }
        }
        return nil
    }

    public var description: String {
        if let soaError {
            return "SOAP fault \(faultCode): \(soaError)"
        }
        var text = "SOAP fault \(faultCode): \(faultString)"
        if let faultActor { text += " (actor \(faultActor))" }
        return text
    }
}
