import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct EndpointPolicyTests {
    @Test(arguments: ["https://services.ehealth.fgov.be/etee/v2", "http://127.0.0.1:8080/CertRa/v2", "http://localhost/CertRa/v2",
                      "http://127.5.6.7/x", "http://[::1]:8080/CertRa/v2"])
    func acceptable(_ text: String) throws {
        try EndpointPolicy.check(URL(string: text)!)
    }

    @Test(arguments: ["http://services.ehealth.fgov.be/CertRa/v2", "http://10.0.0.1/CertRa/v2", "http://127.0.0.1.example.com/x",
                      "http://localhost.example.com/x", "ftp://127.0.0.1/x", "file:///tmp/x"])
    func refused(_ text: String) throws {
        let error = #expect(throws: SOAPError.self) { try EndpointPolicy.check(URL(string: text)!) }
        #expect(error?.code == .insecureEndpoint)
    }

    @Test func theClientRefusesPlainHTTPToAnotherHostBeforeSending() async throws {
        let transport = FakeTransport(body: Fixtures.echoResponse())
        let client = SOAPClient(endpoint: URL(string: "http://services-acpt.ehealth.fgov.be/CertRa/v2")!, transport: transport)
        let error = try await #require(throws: SOAPError.self) { try await client.call(Echo.operation, Echo(id: "_1", text: "ping")) }
        #expect(error.code == .insecureEndpoint)
        #expect(transport.requests.isEmpty)
    }

    @Test func theHTTPTransportRefusesItToo() async throws {
        let transport = try URLSessionTransport()
        let error = try await #require(throws: SOAPError.self) {
            try await transport.send(SOAPHTTPRequest(url: URL(string: "http://example.com/CertRa/v2")!, soapAction: "a", body: Data()))
        }
        #expect(error.code == .insecureEndpoint)
    }
}

@Suite struct InResponseToTests {
    private let endpoint = URL(string: "https://services-acpt.ehealth.fgov.be/CertRa/v2")!

    private func answer(inResponseTo: String?) -> FakeTransport {
        let attribute = inResponseTo.map { #" InResponseTo="\#($0)""# } ?? ""
        return FakeTransport(body: Fixtures.envelope(#"<e:EchoResponse xmlns:e="urn:test:echo" Id="r1""# + attribute + "><e:Text>pong</e:Text></e:EchoResponse>"))
    }

    @Test func anAnswerToAnotherRequestIsAProtocolViolation() async throws {
        let client = SOAPClient(endpoint: endpoint, transport: answer(inResponseTo: "_someone-else"))
        let error = try await #require(throws: SOAPError.self) { try await client.call(Echo.operation, Echo(id: "_mine", text: "ping")) }
        #expect(error.code == .responseMismatch)
        #expect(error.reason.contains("_someone-else") && error.reason.contains("_mine"))
    }

    @Test func aMatchingOrAbsentInResponseToIsAccepted() async throws {
        let matching = SOAPClient(endpoint: endpoint, transport: answer(inResponseTo: "_mine"))
        #expect(try await matching.call(Echo.operation, Echo(id: "_mine", text: "ping")).text == "pong")
        let absent = SOAPClient(endpoint: endpoint, transport: answer(inResponseTo: nil))
        #expect(try await absent.call(Echo.operation, Echo(id: "_mine", text: "ping")).text == "pong")
    }
}
