import Foundation
import Generated
import Sandbox
import SOAPRuntime
import Testing

/// Requests are validated against the contract's XSDs (embedded in the generated bindings)
/// before any business rule: a message that does not match them gets SOA-03001.
@Suite struct RequestSchemaTests {
    static let soap = SOAPEnvelope.namespace
    static let certra = "urn:be:fgov:ehealth:certra:protocol:v2"

    static func envelope(_ payload: String) -> String {
        #"<soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Body>\#(payload)</soapenv:Body></soapenv:Envelope>"#
    }

    static let cases: [(name: String, payload: String)] = [
        ("an IssueInstant that is no dateTime", #"<GetGenericOrganizationTypesRequest xmlns="\#(certra)" Id="_1" IssueInstant="yesterday"/>"#),
        ("an element the type does not allow", #"<GetGenericOrganizationTypesRequest xmlns="\#(certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"><Extra/></GetGenericOrganizationTypesRequest>"#),
        ("a missing required attribute", #"<GetGenericOrganizationTypesRequest xmlns="\#(certra)" Id="_1"/>"#),
        ("an Id that is no xs:ID", #"<GetGenericOrganizationTypesRequest xmlns="\#(certra)" Id="1 2" IssueInstant="2026-01-01T00:00:00Z"/>"#),
    ]

    @Test(arguments: cases.map(\.name))
    func aRequestThatDoesNotMatchTheSchemaGetsSOA03001(_ name: String) async throws {
        let payload = try require(Self.cases.first { $0.name == name }).payload
        try await SandboxFixture.with { fixture in
            let response = try await fixture.post(Self.envelope(payload), to: .certRA,
                                                  soapAction: CertRaV2Client.Operations.getGenericOrganizationTypes.soapAction)
            let fault = try SOAPFaultTests.expectFault(response, code: "SOA-03001")
            let message = fault?.soaError?.preferredMessage?.text ?? ""
            #expect(message.contains("does not match the schema"), "\(message)")
        }
    }

    @Test func aValidRequestPassesTheSchemaCheck() async throws {
        try await SandboxFixture.with { fixture in
            let response = try await fixture.post(Self.envelope(#"<GetGenericOrganizationTypesRequest xmlns="\#(Self.certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"/>"#),
                                                  to: .certRA, soapAction: CertRaV2Client.Operations.getGenericOrganizationTypes.soapAction)
            #expect(response.statusCode == 200)
        }
    }
}
