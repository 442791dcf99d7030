import Foundation
import Testing
@testable import SOAPRuntime

/// Cookbook 4.1.2, as the platform's Java connector does it: a User-Agent on every request by
/// default, a From only when one is configured.
@Suite struct DefaultTracingHeadersTests {
    @Test func theStandardHeadersAreTheUserAgentAlone() throws {
        #expect(TracingHeaders.standard.headers.map(\.0) == ["User-Agent"])
        #expect(TracingHeaders.standard.userAgent == "ehcert/\(TracingHeaders.toolkitVersion) swift-certmanager/\(TracingHeaders.toolkitVersion)")
        // The constant skips validation: it must pass it.
        #expect(try TracingHeaders(userAgent: TracingHeaders.standard.userAgent) == TracingHeaders.standard)
        #expect(try TracingHeaders(userAgent: "MyPractice/2.1").headers.map(\.0) == ["User-Agent"])
    }

    @Test func aSOAPClientSendsTheUserAgentUnlessToldOtherwise() async throws {
        let endpoint = URL(string: "https://services-acpt.ehealth.fgov.be/CertRa/v2")!
        let transport = FakeTransport(body: Fixtures.echoResponse(text: "pong"))
        _ = try await SOAPClient(endpoint: endpoint, transport: transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        #expect(transport.requests.first?.headers.map(\.0) == ["User-Agent"])
        #expect(transport.requests.first?.headers.first?.1 == TracingHeaders.defaultUserAgent)

        let silent = FakeTransport(body: Fixtures.echoResponse(text: "pong"))
        _ = try await SOAPClient(endpoint: endpoint, transport: silent, tracingHeaders: nil).call(Echo.operation, Echo(id: "_1", text: "ping"))
        #expect(silent.requests.first?.headers.isEmpty == true)
    }

    @Test func anInvalidFromIsStillRefused() {
        #expect(throws: SOAPError.self) { try TracingHeaders(from: "not an address") }
    }
}
