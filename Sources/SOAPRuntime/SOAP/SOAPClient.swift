import Foundation

/// Calls the operations of one SOAP endpoint: encodes the request envelope, sends it, and
/// turns the answer into the operation's output, a `SOAPFault`, an `EHealthStatusError` or a
/// `SOAPError`.
public struct SOAPClient: Sendable {
    public var endpoint: URL
    public var transport: any SOAPTransport
    /// Sent on every request when set (cookbook 4.1.2 says they SHOULD be); by default this
    /// toolkit's User-Agent.
    public var tracingHeaders: TracingHeaders?
    /// Records every envelope sent and received when set.
    public var trace: SOAPTrace?
    public var limits: XMLParseLimits
    /// Namespace URI → prefix for the request envelopes (cosmetic; e.g. `ds` for XML-DSig).
    public var preferredPrefixes: [String: String]

    public init(endpoint: URL, transport: any SOAPTransport, tracingHeaders: TracingHeaders? = .standard,
                trace: SOAPTrace? = nil, limits: XMLParseLimits = .default, preferredPrefixes: [String: String] = [:]) {
        self.endpoint = endpoint
        self.transport = transport
        self.tracingHeaders = tracingHeaders
        self.trace = trace
        self.limits = limits
        self.preferredPrefixes = preferredPrefixes
    }

    /// Calls `operation` and decodes its output.
    public func call<Input, Output>(_ operation: SOAPOperation<Input, Output>, _ request: Input) async throws -> Output {
        let payload = try await callRaw(operation, request)
        return try Output(xmlElement: payload)
    }

    /// Calls `operation` and returns the checked payload element, undecoded: a fault, an
    /// unexpected element and a failed eHealth status have already been thrown.
    public func callRaw<Input, Output>(_ operation: SOAPOperation<Input, Output>, _ request: Input) async throws -> XMLElement {
        let envelope = try SOAPEnvelope.request(body: operation.inputElement, request, preferredPrefixes: preferredPrefixes)
        let body = Data(envelope.utf8)
        try EndpointPolicy.check(endpoint)
        // Tracing is a record of the exchange, not part of it: a trace that cannot be written
        // (full disk, lost folder) is reported by the trace and never costs the answer.
        let sequence = await trace?.recordRequest(operation: operation.name, body)
        let response = try await transport.send(SOAPHTTPRequest(
            url: endpoint, soapAction: operation.soapAction, body: body, headers: tracingHeaders?.headers ?? [],
            operation: operation.name))
        if let trace, let sequence {
            await trace.recordResponse(sequence: sequence, operation: operation.name, response.body)
        }
        let payload = try Self.payload(of: response, limits: limits)
        guard payload.hasName(operation.outputElement.namespace, operation.outputElement.localName) else {
            throw SOAPError(.unexpectedResponseElement,
                            "\(operation.name) expected \(operation.outputElement) but the response holds \(payload.name)",
                            httpStatus: response.statusCode,
                            expectedElement: operation.outputElement, receivedElement: payload.name)
        }
        try Self.checkAnswersRequest(payload, request: body, operation: operation.name)
        try EHealthStatus.check(payload)
        return payload
    }

    /// A response that names the request it answers (`InResponseTo`, commons-protocol-v2
    /// ResponseType) must name the one sent: anything else is an answer to another exchange.
    /// Both attributes are optional in the schema, so the check applies when both are present.
    static func checkAnswersRequest(_ payload: XMLElement, request body: Data, operation: String) throws {
        guard let answered = payload.attribute("InResponseTo") else { return }
        guard let sent = try? SOAPEnvelope.parse(body).payload.attribute("Id") else { return }
        guard answered == sent else {
            throw SOAPError(.responseMismatch, "\(operation) answered InResponseTo=\"\(answered)\", but the request's Id is \"\(sent)\"")
        }
    }

    /// The payload of a response, or the fault it carries. An HTTP error status whose body is
    /// not a SOAP message is reported as that status, with the start of the body for context.
    static func payload(of response: SOAPHTTPResponse, limits: XMLParseLimits) throws -> XMLElement {
        do {
            let payload = try SOAPEnvelope.parse(response.body, limits: limits).payload
            guard response.isSuccess else {
                throw SOAPError(.httpStatus, "HTTP \(response.statusCode) with a SOAP body that is not a fault",
                                httpStatus: response.statusCode)
            }
            return payload
        } catch let fault as SOAPFault {
            throw fault
        } catch let error where !response.isSuccess {
            if let error = error as? SOAPError, error.code == .httpStatus { throw error }
            throw SOAPError(.httpStatus, "HTTP \(response.statusCode) without a SOAP envelope"
                            + Self.excerpt(of: response), httpStatus: response.statusCode)
        }
    }

    private static func excerpt(of response: SOAPHTTPResponse) -> String {
        guard !response.body.isEmpty else { return " (empty body)" }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        let type = response.contentType.map { "\($0), " } ?? ""
        return " (\(type)body: \(text)\(response.body.count > 200 ? "…" : ""))"
    }
}
