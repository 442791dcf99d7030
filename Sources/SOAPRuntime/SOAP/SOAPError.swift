/// The one error type of the SOAP and transport layers: a stable `code` to match on and a
/// reason for people. Faults and eHealth statuses have their own types (`SOAPFault`,
/// `EHealthStatusError`) because they carry the service's answer, not a protocol failure.
public struct SOAPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The response is XML but not a SOAP 1.1 envelope (another root, or SOAP 1.2).
        case notSOAP
        /// The envelope has no `Body`.
        case missingBody
        /// The `Body` holds no element.
        case emptyBody
        /// The `Body` holds more than one element; document/literal answers with exactly one.
        case multiplePayloads
        /// The payload is not the operation's output element.
        case unexpectedResponseElement
        /// An HTTP error status without a SOAP envelope to explain it; see `httpStatus`.
        case httpStatus
        /// The exchange failed below HTTP (connection refused, DNS, TLS handshake, ...).
        case transport
        /// The server did not answer within the configured time.
        case timeout
        /// The response is larger than the configured limit.
        case responseTooLarge
        /// A `User-Agent` or `From` value breaks cookbook 4.1.2, or a header value would break HTTP.
        case invalidTracingHeader
        /// The server's certificate chain does not lead to a trusted root, or does not name the host.
        case untrustedServer
        /// A trust root file is missing or holds no PEM certificate.
        case invalidTrustRoot
        /// The endpoint is plain http to another machine (or not http(s) at all): see `EndpointPolicy`.
        case insecureEndpoint
        /// The response's `InResponseTo` names another request than the one sent.
        case responseMismatch
    }

    public let code: Code
    public let reason: String
    /// The HTTP status, for `.httpStatus` (and for other codes when a response was received).
    public let httpStatus: Int?
    /// The expected and the received element, for `.unexpectedResponseElement`.
    public let expectedElement: XMLName?
    public let receivedElement: XMLName?

    public init(_ code: Code, _ reason: String, httpStatus: Int? = nil,
                expectedElement: XMLName? = nil, receivedElement: XMLName? = nil) {
        self.code = code
        self.reason = reason
        self.httpStatus = httpStatus
        self.expectedElement = expectedElement
        self.receivedElement = receivedElement
    }

    public var description: String {
        "SOAP \(code.rawValue): \(reason)"
    }
}
