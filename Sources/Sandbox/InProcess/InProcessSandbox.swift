import Foundation
import SOAPRuntime

/// The sandbox without a network, for `ehcert demo` and the benchmarks: the client's
/// `SOAPClient` hands each request to ``transport`` instead of an HTTP connection, and the
/// engine answers it. Nothing else changes: the envelopes are encoded, signed, traced, parsed,
/// validated against the schemas and verified exactly as they are on the wire, by the same code.
/// What it leaves out is HTTP itself (and so the network faults, which need a connection to
/// spoil; injected eHealth statuses and SOA faults do strike): `EmbeddedSandbox` of SandboxHTTP
/// serves the same engine on loopback.
public final class InProcessSandbox: Sendable {
    /// The endpoints' base: a loopback name, so that nothing mistakes them for the platform; no
    /// connection is ever made to it.
    public static let baseURL = URL(string: "http://localhost")!

    public let engine: SandboxEngine
    public var world: SandboxWorld { engine.world }
    public var certRAEndpoint: URL { Self.baseURL.appendingPathComponent("CertRa/v2") }
    public var etkRAEndpoint: URL { Self.baseURL.appendingPathComponent("EtkRa/v2") }
    /// The engine's fault plan: `sandbox.faults.inject(.status("CSR_NOT_VALID"), on: .generateCertificate)`;
    /// in-process, only staged answers strike (``SandboxFault/Kind/isAnswer``).
    public var faults: SandboxFaults { engine.faults }
    /// Give it to the client (`ConnectionOptions(transport:)`).
    public var transport: any SOAPTransport { InProcessTransport(engine: engine) }

    /// Creates the world in `stateDirectory` if needed, and its engine.
    public init(stateDirectory: URL, configuration: SandboxConfiguration = SandboxConfiguration()) throws {
        engine = try SandboxEngine(world: SandboxWorld.create(at: stateDirectory), configuration: configuration,
                                   publicBaseURL: Self.baseURL.absoluteString)
    }

    /// What a foreigner does on the validation page a submission's answer links to: confirm.
    public func confirmForeigner(validationURL: URL) async throws {
        let parts = validationURL.pathComponents
        guard parts.count == 4, parts[1] == "foreigner", parts[2] == "validate" else {
            throw SandboxError.state("\(validationURL.absoluteString) is not a validation link of this sandbox")
        }
        _ = try await engine.confirmForeigner(token: parts[3])
    }
}

/// A `SOAPTransport` whose other end is the engine: the request's bytes and SOAPAction header go
/// in as the HTTP server would pass them, the reply's status and bytes come back.
struct InProcessTransport: SOAPTransport {
    let engine: SandboxEngine

    func send(_ request: SOAPHTTPRequest) async throws -> SOAPHTTPResponse {
        // The header lines an HTTP transport would send, checked the same way.
        let headers = try request.httpHeaders()
        try Task.checkCancellation()
        let path = request.url.path
        guard let service = [SandboxEngine.Service.certRA, .etkRA].first(where: { path == "/\($0.rawValue)/v2" }) else {
            return SOAPHTTPResponse(statusCode: 404, contentType: "text/plain; charset=UTF-8", body: Data("no service at \(path)".utf8))
        }
        guard request.body.count <= SandboxEngine.maximumRequestBytes else {
            return SOAPHTTPResponse(statusCode: 413, contentType: nil, body: Data())
        }
        let soapAction = headers.first { $0.0.caseInsensitiveCompare("SOAPAction") == .orderedSame }?.1
        // Answer faults (an eHealth status, a SOA fault) strike here too; network faults need a
        // connection to spoil and stay staged for an HTTP server.
        let injected = engine.faults.isEmpty ? nil : SandboxOperation(requestBody: request.body).flatMap {
            engine.faults.take(for: $0, answersOnly: true)
        }
        let reply = await engine.handle(service: service, soapAction: soapAction, body: request.body, injected: injected)
        return SOAPHTTPResponse(statusCode: reply.status, contentType: "text/xml; charset=UTF-8", body: reply.body)
    }
}
