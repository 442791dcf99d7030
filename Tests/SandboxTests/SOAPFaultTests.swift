import Foundation
import Generated
import Sandbox
import SOAPRuntime
import Testing

/// Messages the platform refuses before any business logic (cookbook 7.2, WS-I Basic Profile):
/// a SOAP 1.1 fault with HTTP 500, faultcode Client and the eHealth SOA error detail.
@Suite struct SOAPFaultTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let body: String
        let code: String
        var testDescription: String { "\(name) → \(code)" }
    }

    static let soap = SOAPEnvelope.namespace
    static let certra = "urn:be:fgov:ehealth:certra:protocol:v2"
    static let organizationTypesRequest = #"<GetGenericOrganizationTypesRequest xmlns="\#(certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"/>"#

    static let cases: [Case] = [
        Case(name: "a body that is not XML", body: "this is not XML at all", code: "SOA-03001"),
        Case(name: "an empty body", body: "", code: "SOA-03001"),
        Case(name: "malformed XML", body: #"<soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Body><GetGenericOrganizationTypesRequest></soapenv:Body></soapenv:Envelope>"#, code: "SOA-03001"),
        Case(name: "a DOCTYPE with an entity", body: #"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Body>\#(organizationTypesRequest)</soapenv:Body></soapenv:Envelope>"#, code: "SOA-03001"),
        Case(name: "a request without envelope", body: organizationTypesRequest, code: "SOA-03002"),
        Case(name: "a SOAP 1.2 envelope", body: #"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>\#(organizationTypesRequest)</env:Body></env:Envelope>"#, code: "SOA-03002"),
        Case(name: "an envelope without body", body: #"<soapenv:Envelope xmlns:soapenv="\#(soap)"/>"#, code: "SOA-03003"),
        Case(name: "an envelope with a header and no body", body: #"<soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Header/></soapenv:Envelope>"#, code: "SOA-03003"),
        Case(name: "an empty body element", body: #"<soapenv:Envelope xmlns:soapenv="\#(soap)"><soapenv:Body/></soapenv:Envelope>"#, code: "SOA-03003"),
    ]

    @Test(arguments: cases)
    func aMessageThatIsNotAUsableSOAPRequestGetsTheSOAFault(_ testCase: Case) async throws {
        try await SandboxFixture.with { fixture in
            let response = try await fixture.post(testCase.body, to: .certRA, soapAction: CertRaV2Client.Operations.getGenericOrganizationTypes.soapAction)
            try Self.expectFault(response, code: testCase.code)
        }
    }

    @Test func anUnknownRequestElementIsRefusedWithAFault() async throws {
        try await SandboxFixture.with { fixture in
            let body = #"<soapenv:Envelope xmlns:soapenv="\#(Self.soap)"><soapenv:Body><GetWeatherRequest xmlns="\#(Self.certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"/></soapenv:Body></soapenv:Envelope>"#
            try Self.expectFault(try await fixture.post(body, to: .certRA), code: "SOA-03001")
        }
    }

    @Test func aRequestPostedToTheOtherServiceIsRefusedWithAFault() async throws {
        try await SandboxFixture.with { fixture in
            let operation = CertRaV2Client.Operations.getGenericOrganizationTypes
            let request = GetGenericOrganizationTypesRequestType(id: "_1", issueInstant: .now)
            let response = try await fixture.post(request, as: operation.inputElement, to: .etkRA, soapAction: operation.soapAction)
            let fault = try Self.expectFault(response, code: "SOA-03001")
            #expect(fault?.soaError?.preferredMessage?.text.contains("/CertRa/v2") == true)
        }
    }

    @Test func aSOAPActionOfAnotherOperationIsRefusedWithAFault() async throws {
        try await SandboxFixture.with { fixture in
            let operation = CertRaV2Client.Operations.getGenericOrganizationTypes
            let request = GetGenericOrganizationTypesRequestType(id: "_1", issueInstant: .now)
            let response = try await fixture.post(request, as: operation.inputElement, to: .certRA,
                                                  soapAction: CertRaV2Client.Operations.generateContract.soapAction)
            try Self.expectFault(response, code: "SOA-03001")

            // The same request with its own action is answered.
            let answered = try await fixture.post(request, as: operation.inputElement, to: .certRA, soapAction: operation.soapAction)
            #expect(answered.statusCode == 200)
            let payload = try SOAPEnvelope.parse(answered.body).payload
            #expect(payload.name == operation.outputElement)
            #expect(try GetGenericOrganizationTypesResponseType(xmlElement: payload).inResponseTo == "_1")
        }
    }

    @Test func aRequestThatBreaksItsSchemaIsRefusedWithAFault() async throws {
        try await SandboxFixture.with { fixture in
            // GenerateContractRequest without its required ContactData, Signer and CertificateIdentifier.
            let body = #"<soapenv:Envelope xmlns:soapenv="\#(Self.soap)"><soapenv:Body><GenerateContractRequest xmlns="\#(Self.certra)" Id="_1" IssueInstant="2026-01-01T00:00:00Z"/></soapenv:Body></soapenv:Envelope>"#
            try Self.expectFault(try await fixture.post(body, to: .certRA, soapAction: CertRaV2Client.Operations.generateContract.soapAction),
                                 code: "SOA-03001")
        }
    }

    @Test func aPathThatIsNoServiceIsNotFound() async throws {
        try await SandboxFixture.with { fixture in
            let response = try await fixture.post(Data(Self.organizationTypesRequest.utf8), path: "CertRa/v3")
            #expect(response.statusCode == 404)
        }
    }

    /// The response is a SOAP 1.1 fault as the platform sends it: HTTP 500, text/xml, faultcode
    /// Client, and a BusinessError with the SOA code, a Message with xml:lang, and an Environment.
    @discardableResult
    static func expectFault(_ response: SOAPHTTPResponse, code: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> SOAPFault? {
        #expect(response.statusCode == 500, sourceLocation: sourceLocation)
        #expect(response.contentType?.hasPrefix("text/xml") == true, sourceLocation: sourceLocation)
        do {
            let message = try SOAPEnvelope.parse(response.body)
            Issue.record("expected a fault, got \(message.payload.name)", sourceLocation: sourceLocation)
            return nil
        } catch let fault as SOAPFault {
            #expect(fault.faultCodeName == XMLName(SOAPEnvelope.namespace, "Client"), "faultcode \(fault.faultCode)", sourceLocation: sourceLocation)
            #expect(!fault.faultString.isEmpty, sourceLocation: sourceLocation)
            let detail = try #require(fault.soaError, "the fault has no SOA error detail: \(fault)", sourceLocation: sourceLocation)
            #expect(detail.code == code, "\(detail)", sourceLocation: sourceLocation)
            #expect(detail.kind == .business, sourceLocation: sourceLocation)
            #expect(detail.origin == "Consumer", sourceLocation: sourceLocation)
            #expect(detail.messages.first?.language == "en", sourceLocation: sourceLocation)
            #expect(detail.environment == "Test", sourceLocation: sourceLocation)
            #expect(detail.id?.isEmpty == false, "the platform's ticket (Id)", sourceLocation: sourceLocation)
            return fault
        }
    }
}
