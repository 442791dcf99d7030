import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct EHealthStatusTests {
    private func payload(_ status: String?) throws -> XMLElement {
        try SOAPEnvelope.parse(Data(Fixtures.echoResponse(status: status).utf8)).payload
    }

    @Test func successPasses() throws {
        let element = try payload(Fixtures.successStatus)
        try EHealthStatus.check(element)
        let status = try #require(try EHealthStatus.read(from: element))
        #expect(status.isSuccess)
        #expect(status.errors.isEmpty)
    }

    @Test func aPayloadWithoutStatusHasNothingToCheck() throws {
        let element = try payload(nil)
        try EHealthStatus.check(element)
        #expect(try EHealthStatus.read(from: element) == nil)
    }

    @Test func aFailureThrowsEveryCodeMessageAndParameter() throws {
        let error = try #require(throws: EHealthStatusError.self) {
            try EHealthStatus.check(payload(Fixtures.notYetDeliveredStatus))
        }
        #expect(error.statusCode == "urn:be:fgov:ehealth:2.0:status:Responder")
        #expect(error.nestedStatusCode == "urn:be:fgov:ehealth:2.0:status:RequestDenied")
        #expect(error.statusMessage == "The certificate is not yet available")
        #expect(error.errors == [
            EteeError(code: "CERT_NOT_YET_DELIVERED", message: "Your certificate is not yet delivered", parameters: [
                .init(name: "PublicKeyIdentifier", value: "0A1B2C"),
                .init(name: "RetryAfter", value: "10"),
            ]),
            EteeError(code: "MANUAL_VALIDATION", message: "The request waits for a manual validation"),
        ])
        #expect(error.isNotYetDelivered)
        #expect(error.has(code: "MANUAL_VALIDATION"))
        #expect(!error.has(code: "CSR_INVALID_DN_INVALID"))

        let text = String(describing: error)
        #expect(text.contains("Responder/RequestDenied"))
        #expect(text.contains("CERT_NOT_YET_DELIVERED: Your certificate is not yet delivered (PublicKeyIdentifier=0A1B2C, RetryAfter=10)"))
        #expect(text.contains("MANUAL_VALIDATION: The request waits for a manual validation"))
    }

    @Test func anotherFailureIsNotMistakenForNotYetDelivered() throws {
        let status = """
            <c:Status xmlns:c="urn:be:fgov:ehealth:commons:core:v2"><c:StatusCode Value="urn:be:fgov:ehealth:2.0:status:Requester"/>
            <c:StatusDetail><e:EteeStatusDetail xmlns:e="urn:be:fgov:ehealth:etee:commons:core:v2"><Errors><Code>CSR_INVALID_DN_INVALID</Code>
            <Message>The DN is not valid</Message></Errors></e:EteeStatusDetail></c:StatusDetail></c:Status>
            """
        let error = try #require(throws: EHealthStatusError.self) { try EHealthStatus.check(payload(status)) }
        #expect(!error.isNotYetDelivered)
        #expect(error.has(code: "CSR_INVALID_DN_INVALID"))
        #expect(error.nestedStatusCode == nil)
        #expect(error.statusMessage == nil)
    }

    @Test func qualifiedEteeChildrenAreWrongOnTheWire() throws {
        // EteeErrorType's elements are unqualified; a qualified Errors is not one of them.
        let status = """
            <c:Status xmlns:c="urn:be:fgov:ehealth:commons:core:v2"><c:StatusCode Value="urn:x:Failure"/>
            <c:StatusDetail><e:EteeStatusDetail xmlns:e="urn:be:fgov:ehealth:etee:commons:core:v2"><e:Errors><e:Code>X</e:Code>
            <e:Message>m</e:Message></e:Errors></e:EteeStatusDetail></c:StatusDetail></c:Status>
            """
        let error = try #require(throws: XMLError.self) { try EHealthStatus.check(payload(status)) }
        #expect(error.code == .unexpectedElement)
    }

    @Test func aStatusCodeWithoutValueIsAnXMLError() throws {
        let status = #"<c:Status xmlns:c="urn:be:fgov:ehealth:commons:core:v2"><c:StatusCode/></c:Status>"#
        let error = try #require(throws: XMLError.self) { try EHealthStatus.check(payload(status)) }
        #expect(error.code == .missingAttribute)
    }

    @Test func eteeErrorsWriteWhatTheyRead() throws {
        let error = EteeError(code: "CERT_NOT_YET_DELIVERED", message: "wait", parameters: [.init(name: "n", value: "v")])
        let text = try XMLWriter.document(root: XMLName(nil, "Errors"), error)
        #expect(text == "<Errors><Code>CERT_NOT_YET_DELIVERED</Code><Message>wait</Message><Parameters><Name>n</Name><Value>v</Value></Parameters></Errors>")
        #expect(try EteeError(xmlElement: XMLDocument(parsing: text).root) == error)
    }
}
