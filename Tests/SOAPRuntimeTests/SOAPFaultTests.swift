import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct SOAPFaultTests {
    private func parseFault(_ text: String) throws -> SOAPFault {
        try #require(throws: SOAPFault.self) { try SOAPEnvelope.parse(Data(text.utf8)) }
    }

    @Test func anEHealthBusinessFaultIsReadCompletely() throws {
        let fault = try parseFault(Fixtures.businessFault)

        #expect(fault.faultCode == "soapenv:Client")
        #expect(fault.faultCodeName == XMLName(SOAPEnvelope.namespace, "Client"))
        #expect(fault.faultString == "SOA-03001")
        #expect(fault.faultActor == nil)
        #expect(fault.detail.map(\.name) == [XMLName(SOAErrorDetail.namespace, "BusinessError")])

        let error = try #require(fault.soaError)
        #expect(error.kind == .business)
        #expect(error.id == "ef5f1a07-4c46-4e16-9a54-8d9b0d2f1c3e")
        #expect(error.origin == "Consumer")
        #expect(error.code == "SOA-03001")
        #expect(error.messages == [
            SOAErrorDetail.Message(language: "nl", text: "Misvormd bericht"),
            SOAErrorDetail.Message(language: "en", text: "Malformed message"),
        ])
        #expect(error.retry == false)
        #expect(error.contact == nil)
        #expect(error.environment == "Production")
    }

    @Test func theDescriptionGivesCodeEnglishMessageAndTicket() throws {
        let fault = try parseFault(Fixtures.businessFault)
        let text = String(describing: fault)
        #expect(text.contains("SOA-03001: Malformed message"))
        #expect(text.contains("ticket ef5f1a07-4c46-4e16-9a54-8d9b0d2f1c3e"))
        #expect(!text.contains("Misvormd"))
    }

    @Test func messagesArePreferredEnglishThenFrenchThenDutch() {
        var error = SOAErrorDetail(kind: .system, origin: "Provider", code: "SOA-02001", messages: [
            .init(language: "nl", text: "Dienst niet beschikbaar"),
            .init(language: "fr", text: "Service indisponible"),
        ], environment: "Acceptation")
        #expect(error.preferredMessage?.text == "Service indisponible")
        error.messages.append(.init(language: "EN-gb", text: "Service unavailable"))
        #expect(error.preferredMessage?.text == "Service unavailable")
        error.messages = [.init(language: "de", text: "Dienst nicht verfügbar")]
        #expect(error.preferredMessage?.text == "Dienst nicht verfügbar")
    }

    @Test func aSystemErrorWithUnqualifiedEnvironmentIsStillRead() throws {
        let text = Fixtures.envelope("""
            <soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>SOA-02001</faultstring><faultactor>https://services.ehealth.fgov.be</faultactor>
            <detail><soa:SystemError xmlns:soa="urn:be:fgov:ehealth:errors:soa:v1" Id="T-9"><Origin>Provider</Origin><Code>SOA-02001</Code>
            <Message xml:lang="fr">Service indisponible</Message><Retry>1</Retry><Contact>servicedesk</Contact><Environment>Acceptation</Environment>
            </soa:SystemError><other:Note xmlns:other="urn:other">kept</other:Note></detail></soapenv:Fault>
            """)
        let fault = try parseFault(text)
        #expect(fault.faultActor == "https://services.ehealth.fgov.be")
        #expect(fault.detail.count == 2)
        let error = try #require(fault.soaError)
        #expect(error.kind == .system)
        #expect(error.retry == true)
        #expect(error.contact == "servicedesk")
        #expect(error.environment == "Acceptation")
        #expect(String(describing: error).contains("retrying may succeed"))
    }

    @Test func aFaultWithoutEHealthDetailKeepsItsText() throws {
        let fault = try parseFault(Fixtures.envelope(
            #"<soapenv:Fault xmlns:x="urn:x"><faultcode>x:Overloaded</faultcode><faultstring>try later</faultstring></soapenv:Fault>"#))
        #expect(fault.soaError == nil)
        #expect(fault.faultCodeName == XMLName("urn:x", "Overloaded"))
        #expect(String(describing: fault) == "SOAP fault x:Overloaded: try later")
    }

    @Test func anUnboundFaultCodePrefixLeavesTheNameUnresolved() throws {
        let fault = try parseFault(Fixtures.envelope(
            #"<soapenv:Fault><faultcode>nope:Client</faultcode><faultstring>s</faultstring></soapenv:Fault>"#))
        #expect(fault.faultCode == "nope:Client")
        #expect(fault.faultCodeName == nil)
    }

    @Test func aWrittenFaultParsesBackToTheSameValue() throws {
        let error = SOAErrorDetail(kind: .business, id: "ticket-123", origin: "Consumer", code: "SOA-03002",
                                   messages: [.init(language: "en", text: "Message must be SOAP"),
                                              .init(language: "fr", text: "Le message doit être SOAP & <valide>")],
                                   retry: false, contact: "support@ehealth.fgov.be", environment: "Simulation")
        let fault = try SOAPFault(error)
        #expect(fault.faultCode == SOAPFault.clientCode)
        #expect(fault.faultCodeName == XMLName(SOAPEnvelope.namespace, "Client"))
        #expect(fault.faultString == "SOA-03002")
        #expect(fault.soaError == error)

        let parsed = try parseFault(SOAPEnvelope.fault(fault))
        #expect(parsed == fault)
    }

    @Test func theWrittenEHealthErrorIsValidAgainstTheOfficialSchema() throws {
        let error = SOAErrorDetail(kind: .system, id: "T-1", origin: "Provider", code: "SOA-02001",
                                   messages: [.init(language: "en", text: "Service unavailable")],
                                   retry: true, contact: "servicedesk", environment: "Production")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = directory.appendingPathComponent("error.xml")
        try Data(error.detailElement().xml.utf8).write(to: document)
        let schema = try #require(Fixtures.referenceFile("ehealth-schemas/ehealth-errors/XSD/ehealth-errors-schema-soa-1_1.xsd"),
                                  "the reference schemas (shared/reference) are needed")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--nonet", "--schema", schema.path, document.path]
        let output = Pipe()
        process.standardError = output
        try process.run()
        let messages = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "xmllint: \(messages)")
    }
}
