import Testing
@testable import SOAPRuntime

@Suite struct TracingHeadersTests {
    @Test(arguments: [
        "myProduct/62.310.4 Technical/3.19.0",
        "Topaz-XXXX/123.23.X freeconnector/XXXXX.XXX",
        TracingHeaders.defaultUserAgent,
        "vendor/product/1.0_rc-2",
    ])
    func cookbookUserAgentsAreAccepted(_ userAgent: String) throws {
        let headers = try TracingHeaders(userAgent: userAgent, from: "info@mycompany.be")
        #expect(headers.headers.map(\.0) == ["User-Agent", "From"])
        #expect(headers.headers.map(\.1) == [userAgent, "info@mycompany.be"])
    }

    @Test func theDefaultUserAgentNamesThisToolkit() throws {
        #expect(try TracingHeaders(from: "ops@example.org").userAgent == "ehcert/0.1 swift-certmanager/0.1")
    }

    @Test(arguments: [
        ("my product/1.0", "\"my\""),
        ("ehcert/0.1+beta swift/6", "\"ehcert/0.1+beta\""),
        ("ehcert/0.1  swift-certmanager/0.1", "empty token"),
        ("ehcert/0.1 ", "empty token"),
        ("ehcert", "\"ehcert\""),
        ("ehcert_tool/1.0", "\"ehcert_tool/1.0\""),
        ("ehcert/1.0\r\nX-Injected: 1", #""ehcert/1.0\r\nX-Injected:""#),
        ("", "is empty"),
    ])
    func badUserAgentsNameTheOffendingToken(_ userAgent: String, _ named: String) throws {
        let error = try #require(throws: SOAPError.self) { try TracingHeaders(userAgent: userAgent, from: "info@mycompany.be") }
        #expect(error.code == .invalidTracingHeader)
        #expect(error.reason.contains(named), "\(error.reason)")
        #expect(error.reason.contains(TracingHeaders.userAgentTokenPattern))
    }

    @Test(arguments: ["info@mycompany.be", "first.last+ehealth@sub.example-domain.org", "a@b.c"])
    func emailAddressesAreAccepted(_ from: String) throws {
        #expect(try TracingHeaders(from: from).from == from)
    }

    @Test(arguments: ["", "info", "info@localhost", "@mycompany.be", "info@@mycompany.be", "in fo@mycompany.be",
                      "info@mycompany..be", "info@-mycompany.be", ".info@mycompany.be", "info@mycompany.be\r\nX: y", "Info <info@mycompany.be>"])
    func otherFromValuesAreRefused(_ from: String) throws {
        let error = try #require(throws: SOAPError.self) { try TracingHeaders(from: from) }
        #expect(error.code == .invalidTracingHeader)
        #expect(error.reason.hasPrefix("From "))
    }
}
