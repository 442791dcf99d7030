import Foundation

/// Moves one SOAP request to an endpoint and brings the HTTP response back.
///
/// A transport returns every HTTP response it receives, whatever its status: a SOAP 1.1
/// fault arrives with HTTP 500, and only the client can tell a fault from a broken server.
/// It throws only when there is no response to return (`SOAPError` with `.transport`,
/// `.timeout`, `.untrustedServer`, `.responseTooLarge`), or `CancellationError`.
public protocol SOAPTransport: Sendable {
    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse
}

public struct SOAPHTTPRequest: Sendable {
    public var url: URL
    /// Sent quoted in the `SOAPAction` header.
    public var soapAction: String
    /// The envelope, UTF-8.
    public var body: Data
    /// Extra headers, such as the tracing headers.
    public var headers: [(String, String)]
    /// The WSDL operation's name, as `SOAPClient` knows it, so that a transport (which one to
    /// reuse a connection for, what to record) never has to work it out from the SOAP action.
    /// Not sent; nil when the request did not come from a `SOAPOperation`.
    public var operation: String?

    public init(url: URL, soapAction: String, body: Data, headers: [(String, String)] = [], operation: String? = nil) {
        self.url = url
        self.soapAction = soapAction
        self.body = body
        self.headers = headers
        self.operation = operation
    }

    public static let contentType = "text/xml; charset=UTF-8"

    /// Every header to send, the SOAP 1.1 ones first. Throws when a name or value would break
    /// the HTTP message (a line break smuggles in headers; a quote would end the SOAPAction).
    public func httpHeaders() throws -> [(String, String)] {
        guard !soapAction.contains("\"") else {
            throw SOAPError(.transport, "the SOAP action \(soapAction) contains a quote")
        }
        let all = [("Content-Type", Self.contentType), ("SOAPAction", "\"" + soapAction + "\"")] + headers
        for (name, value) in all {
            let nameIsToken = !name.isEmpty && name.unicodeScalars.allSatisfy {
                $0.isASCII && $0.value > 32 && $0.value < 127 && !"()<>@,;:\\\"/[]?={}".unicodeScalars.contains($0)
            }
            let valueIsText = value.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 32 && $0.value != 127) }
            guard nameIsToken, valueIsText else {
                throw SOAPError(.transport, "the HTTP header \(name.debugDescription): \(value.debugDescription) is not a valid header line")
            }
        }
        return all
    }
}

public struct SOAPHTTPResponse: Sendable {
    public var statusCode: Int
    public var contentType: String?
    public var body: Data

    public init(statusCode: Int, contentType: String?, body: Data) {
        self.statusCode = statusCode
        self.contentType = contentType
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}
