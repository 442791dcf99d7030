import Foundation
import Testing
@testable import SOAPRuntime

/// The transport against a real server on the loopback interface. Every HTTP behaviour is
/// checked on both engines: URLSession, and libcurl driven directly (used for extra trust roots).
@Suite struct URLSessionTransportTests {
    enum Engine: String, CaseIterable, Sendable {
        case urlSession
        case libcurl
    }

    private func transport(_ engine: Engine, _ configuration: URLSessionTransport.Configuration = .init()) throws -> URLSessionTransport {
        try URLSessionTransport(configuration: configuration, usingLibcurl: engine == .libcurl)
    }

    private let action = "urn:be:fgov:ehealth:etee:certra:protocol:v2:getcertificate"

    private func request(_ url: URL, body: String = "<q/>") throws -> SOAPHTTPRequest {
        SOAPHTTPRequest(url: url, soapAction: action, body: Data(body.utf8),
                        headers: try TracingHeaders(userAgent: "ehcert/0.1 swift-certmanager/0.1", from: "ops@example.org").headers)
    }

    // MARK: HTTP

    @Test(arguments: Engine.allCases)
    func theServerReceivesASOAP11Post(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        try server.serve("echo.xml", Fixtures.echoResponse())
        let envelope = try SOAPEnvelope.request(body: Echo.request, Echo(id: "_1", text: "héllo"))

        let response = try await transport(engine).send(request(server.url("/respond/200/echo.xml"), body: envelope))

        #expect(response.statusCode == 200)
        #expect(response.contentType == "text/xml; charset=utf-8")
        #expect(response.body == Data(Fixtures.echoResponse().utf8))
        let received = try server.receivedRequests()
        #expect(received.count == 1)
        let first = try #require(received.first)
        #expect(first.method == "POST")
        #expect(first.path == "/respond/200/echo.xml")
        #expect(first.values("Content-Type") == ["text/xml; charset=UTF-8"])
        #expect(first.values("SOAPAction") == ["\"\(action)\""])
        #expect(first.values("User-Agent") == ["ehcert/0.1 swift-certmanager/0.1"])
        #expect(first.values("From") == ["ops@example.org"])
        #expect(first.values("Expect").isEmpty)
        #expect(first.body == envelope)
    }

    @Test(arguments: Engine.allCases)
    func aFaultWithHTTP500IsReturnedForTheClientToRead(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        try server.serve("fault.xml", Fixtures.businessFault)
        let transport = try transport(engine)

        let response = try await transport.send(request(server.url("/respond/500/fault.xml")))
        #expect(response.statusCode == 500)
        #expect(response.body == Data(Fixtures.businessFault.utf8))

        let client = SOAPClient(endpoint: server.url("/respond/500/fault.xml"), transport: transport)
        let fault = try await #require(throws: SOAPFault.self) { try await client.call(Echo.operation, Echo(id: "_1", text: "x")) }
        #expect(fault.soaError?.id == "ef5f1a07-4c46-4e16-9a54-8d9b0d2f1c3e")
    }

    @Test(arguments: Engine.allCases)
    func aClientCallWorksEndToEnd(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        try server.serve("echo.xml", Fixtures.echoResponse(text: "pong"))
        let client = SOAPClient(endpoint: server.url("/respond/200/echo.xml"), transport: try transport(engine),
                                tracingHeaders: try TracingHeaders(from: "ops@example.org"))
        #expect(try await client.call(Echo.operation, Echo(id: "_1", text: "ping")) == Echo(id: "r1", text: "pong"))
        #expect(try server.receivedRequests().first?.values("User-Agent") == [TracingHeaders.defaultUserAgent])
    }

    @Test(arguments: Engine.allCases)
    func aResponseAnnouncedAboveTheLimitIsRefused(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let transport = try transport(engine, .init(maximumResponseBytes: 4_096))
        let error = try await #require(throws: SOAPError.self) { try await transport.send(request(server.url("/big/4097"))) }
        #expect(error.code == .responseTooLarge)
        #expect(try await transport.send(request(server.url("/big/4096"))).body.count == 4_096)
    }

    @Test(arguments: Engine.allCases)
    func aStreamedResponseAboveTheLimitIsCutOff(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let transport = try transport(engine, .init(maximumResponseBytes: 100_000))
        let error = try await #require(throws: SOAPError.self) { try await transport.send(request(server.url("/stream/2000000"))) }
        #expect(error.code == .responseTooLarge)
        #expect(try await transport.send(request(server.url("/stream/99999"))).body.count == 99_999)
    }

    @Test(arguments: Engine.allCases)
    func aSlowServerTimesOut(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let transport = try transport(engine, .init(requestTimeout: 1))
        // The server would answer after 30 s; only a working 1 s timeout ends the call with .timeout.
        let error = try await #require(throws: SOAPError.self) { try await transport.send(request(server.url("/slow/30"))) }
        #expect(error.code == .timeout)
    }

    @Test(arguments: Engine.allCases)
    func cancellingTheTaskStopsTheExchange(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let transport = try transport(engine)
        // The server would answer after 60 s: only a cancellation that stops the exchange ends
        // the task with CancellationError (a late answer would be a value, not an error).
        let request = try request(server.url("/slow/60"))
        let task = Task { try await transport.send(request) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test(arguments: Engine.allCases)
    func aRedirectIsNotFollowed(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        try server.serve("echo.xml", Fixtures.echoResponse())
        let response = try await transport(engine).send(request(server.url("/redirect")))
        #expect(response.statusCode == 302)
        #expect(try server.receivedRequests().map(\.path) == ["/redirect"])
    }

    @Test(arguments: Engine.allCases)
    func aClosedPortIsATransportError(_ engine: Engine) async throws {
        let server = try LoopbackServer()
        let url = server.url("/respond/200/echo.xml")
        server.stop()
        let error = try await #require(throws: SOAPError.self) { try await transport(engine).send(request(url)) }
        #expect(error.code == .transport)
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() async throws {
        let error = try await #require(throws: SOAPError.self) {
            try await transport(.libcurl).send(request(URL(string: "ftp://127.0.0.1/x")!))
        }
        // EndpointPolicy: not http(s) at all is an endpoint the transport refuses to use.
        #expect(error.code == .insecureEndpoint)
    }

    // MARK: HTTPS

    private func httpsServer(_ pki: TestPKI) throws -> LoopbackServer {
        let server = try LoopbackServer(tls: (pki.serverCertificate, pki.serverKey))
        try server.serve("echo.xml", Fixtures.echoResponse())
        return server
    }

    @Test func anExtraTrustRootMakesTheSandboxTrusted() async throws {
        let pki = try TestPKI.shared.get()
        let server = try httpsServer(pki)
        defer { server.stop() }
        let transport = try URLSessionTransport(configuration: .init(extraTrustRoots: [pki.authority]))
        let response = try await transport.send(request(server.url("/respond/200/echo.xml")))
        #expect(response.statusCode == 200)
        #expect(response.body == Data(Fixtures.echoResponse().utf8))
        #expect(try server.receivedRequests().first?.values("SOAPAction") == ["\"\(action)\""])
    }

    @Test func aServerFromAnotherAuthorityIsRefused() async throws {
        let pki = try TestPKI.shared.get()
        let server = try httpsServer(pki)
        defer { server.stop() }
        let transport = try URLSessionTransport(configuration: .init(extraTrustRoots: [pki.otherAuthority]))
        let error = try await #require(throws: SOAPError.self) { try await transport.send(request(server.url("/respond/200/echo.xml"))) }
        #expect(error.code == .untrustedServer)
        #expect(try server.receivedRequests().isEmpty)
    }

    @Test func withoutExtraRootsTheSandboxIsNotTrusted() async throws {
        let pki = try TestPKI.shared.get()
        let server = try httpsServer(pki)
        defer { server.stop() }
        let transport = try URLSessionTransport()
        let error = try await #require(throws: SOAPError.self) { try await transport.send(request(server.url("/respond/200/echo.xml"))) }
        #expect(error.code == .untrustedServer)
        #expect(try server.receivedRequests().isEmpty)
    }

    @Test func aTrustedCertificateForAnotherHostIsRefused() async throws {
        let pki = try TestPKI.shared.get()
        let server = try httpsServer(pki)
        defer { server.stop() }
        let transport = try URLSessionTransport(configuration: .init(extraTrustRoots: [pki.authority]))
        // The certificate names 127.0.0.1 only.
        let error = try await #require(throws: SOAPError.self) {
            try await transport.send(request(server.url("/respond/200/echo.xml", host: "localhost")))
        }
        #expect(error.code == .untrustedServer)
    }

    @Test func unusableTrustRootFilesFailAtConfiguration() throws {
        let pki = try TestPKI.shared.get()
        let missing = pki.directory.appendingPathComponent("missing.pem")
        for file in [missing, pki.notPEM] {
            let error = try #require(throws: SOAPError.self) {
                try URLSessionTransport(configuration: .init(extraTrustRoots: [pki.authority, file]))
            }
            #expect(error.code == .invalidTrustRoot)
            #expect(error.reason.contains(file.path))
        }
    }

    @Test func extraRootsComeAfterTheSystemBundle() throws {
        let pki = try TestPKI.shared.get()
        let roots = try TrustRoots(files: [pki.authority, pki.otherAuthority])
        let authority = try Data(contentsOf: pki.authority)
        let other = try Data(contentsOf: pki.otherAuthority)
        #expect(roots.pem == authority + Data("\n".utf8) + other + Data("\n".utf8))

        let system = pki.directory.appendingPathComponent("system-bundle.pem")
        try Data("SYSTEM".utf8).write(to: system)
        #expect(roots.addedTo(systemBundle: system.path) == Data("SYSTEM\n".utf8) + roots.pem)
        #expect(roots.addedTo(systemBundle: pki.directory.appendingPathComponent("none").path) == roots.pem)
    }
}
