import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct SOAPClientTests {
    private let endpoint = URL(string: "https://services-acpt.ehealth.fgov.be/CertRa/v2")!

    private func client(_ transport: FakeTransport, trace: SOAPTrace? = nil) throws -> SOAPClient {
        SOAPClient(endpoint: endpoint, transport: transport,
                   tracingHeaders: try TracingHeaders(userAgent: "ehcert/0.1 swift-certmanager/0.1", from: "ops@example.org"),
                   trace: trace, preferredPrefixes: ["urn:test:echo": "echo"])
    }

    @Test func aCallSendsTheEnvelopeAndDecodesTheAnswer() async throws {
        let transport = FakeTransport(body: Fixtures.echoResponse(text: "pong"))
        let output = try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        #expect(output == Echo(id: "r1", text: "pong"))

        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.url == endpoint)
        #expect(request.soapAction == "urn:test:echo:v1:Echo")
        #expect(request.operation == Echo.operation.name, "transports learn the operation without reading the SOAP action")
        #expect(request.headers.map(\.0) == ["User-Agent", "From"])
        #expect(request.headers.map(\.1) == ["ehcert/0.1 swift-certmanager/0.1", "ops@example.org"])
        #expect(String(decoding: request.body, as: UTF8.self) == (try SOAPEnvelope.request(
            body: Echo.request, Echo(id: "_1", text: "ping"), preferredPrefixes: ["urn:test:echo": "echo"])))
        #expect(try request.httpHeaders().prefix(2).map(\.1) == ["text/xml; charset=UTF-8", "\"urn:test:echo:v1:Echo\""])
    }

    @Test func callRawReturnsThePayloadOfASuccessfulStatus() async throws {
        let transport = FakeTransport(body: Fixtures.echoResponse(text: "raw", status: Fixtures.successStatus))
        let payload = try await client(transport).callRaw(Echo.operation, Echo(id: "_1", text: "ping"))
        #expect(payload.hasName("urn:test:echo", "EchoResponse"))
        #expect(payload.firstChild?.text == "raw")
    }

    @Test func aFaultWithHTTP500IsThrownAsSOAPFault() async throws {
        let transport = FakeTransport(status: 500, body: Fixtures.businessFault)
        let fault = try await #require(throws: SOAPFault.self) {
            try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(fault.soaError?.code == "SOA-03001")
    }

    @Test func anHTTPErrorWithoutSOAPIsAnHTTPStatusError() async throws {
        let transport = FakeTransport(status: 503, contentType: "text/html", body: "<html><body>Service Unavailable</body></html>")
        let error = try await #require(throws: SOAPError.self) {
            try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .httpStatus)
        #expect(error.httpStatus == 503)
        #expect(error.reason.contains("Service Unavailable"))
    }

    @Test func anHTTPErrorWithAnEmptyBodyIsAnHTTPStatusError() async throws {
        let error = try await #require(throws: SOAPError.self) {
            try await client(FakeTransport(status: 404, contentType: nil, body: "")).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .httpStatus)
        #expect(error.httpStatus == 404)
    }

    @Test func anHTTPErrorWithANonFaultEnvelopeIsStillAnError() async throws {
        let error = try await #require(throws: SOAPError.self) {
            try await client(FakeTransport(status: 500, body: Fixtures.echoResponse())).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .httpStatus)
        #expect(error.httpStatus == 500)
    }

    @Test func aSuccessfulStatusWithNonSOAPIsNotSOAP() async throws {
        let error = try await #require(throws: SOAPError.self) {
            try await client(FakeTransport(body: "<html/>")).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .notSOAP)
    }

    @Test func anotherResponseElementIsRefused() async throws {
        let transport = FakeTransport(body: Fixtures.envelope(#"<e:EchoRequest xmlns:e="urn:test:echo" Id="x"><e:Text>t</e:Text></e:EchoRequest>"#))
        let error = try await #require(throws: SOAPError.self) {
            try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .unexpectedResponseElement)
        #expect(error.expectedElement == Echo.response)
        #expect(error.receivedElement == Echo.request)
    }

    @Test func aFailedStatusIsThrownBeforeDecoding() async throws {
        // The response would not even decode as Echo (Status is not in its content model).
        let transport = FakeTransport(body: Fixtures.echoResponse(status: Fixtures.notYetDeliveredStatus))
        let error = try await #require(throws: EHealthStatusError.self) {
            try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.isNotYetDelivered)
    }

    @Test func aTransportErrorIsPassedThrough() async throws {
        let transport = FakeTransport { _ in throw SOAPError(.timeout, "slow") }
        let error = try await #require(throws: SOAPError.self) {
            try await client(transport).call(Echo.operation, Echo(id: "_1", text: "ping"))
        }
        #expect(error.code == .timeout)
    }

    @Test func requestAndResponseAreTracedUnderOneNumber() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = try SOAPTrace(directory: directory)
        let client = try client(FakeTransport(status: 500, body: Fixtures.businessFault), trace: trace)
        await #expect(throws: SOAPFault.self) { try await client.call(Echo.operation, Echo(id: "_1", text: "ping")) }
        await #expect(throws: SOAPFault.self) { try await client.call(Echo.operation, Echo(id: "_2", text: "ping")) }

        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
            "001-echo-request.xml", "001-echo-response.xml", "002-echo-request.xml", "002-echo-response.xml",
        ])
        let request = try String(contentsOf: directory.appendingPathComponent("002-echo-request.xml"), encoding: .utf8)
        #expect(request.contains(#"Id="_2""#))
        #expect(try Data(contentsOf: directory.appendingPathComponent("001-echo-response.xml")) == Data(Fixtures.businessFault.utf8))
    }

    @Test func withoutTracingHeadersOnlyTheSOAPHeadersAreSent() async throws {
        let transport = FakeTransport(body: Fixtures.echoResponse())
        // The default sends the toolkit's User-Agent (DefaultTracingHeadersTests); nil sends none.
        let client = SOAPClient(endpoint: endpoint, transport: transport, tracingHeaders: nil)
        _ = try await client.call(Echo.operation, Echo(id: "_1", text: "ping"))
        let request = try #require(transport.requests.first)
        #expect(request.headers.isEmpty)
        #expect(try request.httpHeaders().map(\.0) == ["Content-Type", "SOAPAction"])
    }

    @Test func headersThatWouldBreakHTTPAreRefused() throws {
        let quoted = SOAPHTTPRequest(url: endpoint, soapAction: #"a"b"#, body: Data())
        #expect(throws: SOAPError.self) { try quoted.httpHeaders() }
        let injected = SOAPHTTPRequest(url: endpoint, soapAction: "a", body: Data(), headers: [("X-Note", "a\r\nHost: evil")])
        #expect(throws: SOAPError.self) { try injected.httpHeaders() }
        let badName = SOAPHTTPRequest(url: endpoint, soapAction: "a", body: Data(), headers: [("X Note", "a")])
        #expect(throws: SOAPError.self) { try badName.httpHeaders() }
    }
}
