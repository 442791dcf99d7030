import Foundation
@testable import SOAPRuntime

/// A small payload in the shape generated bindings have: an attribute, a qualified child, an
/// unqualified optional child.
struct Echo: XMLContentCodable, Equatable {
    static let namespace = "urn:test:echo"
    static let request = XMLName(namespace, "EchoRequest")
    static let response = XMLName(namespace, "EchoResponse")
    static let operation = SOAPOperation<Echo, Echo>(
        name: "echo", soapAction: "urn:test:echo:v1:Echo", inputElement: request, outputElement: response)

    var id: String
    var text: String
    var count: Int?

    init(id: String, text: String, count: Int? = nil) {
        self.id = id
        self.text = text
        self.count = count
    }

    init(xmlElement element: XMLElement) throws {
        id = try element.requiredAttribute("Id")
        var cursor = XMLChildCursor(element)
        text = try cursor.required(Self.namespace, "Text")
        count = try cursor.optional(nil, "Count")
        try cursor.finish()
    }

    func writeContent(to writer: inout XMLWriter) throws {
        writer.attribute(XMLName(nil, "Id"), id)
        try writer.element(XMLName(Self.namespace, "Text"), text)
        try writer.element(XMLName(nil, "Count"), count)
    }
}

enum Fixtures {
    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    static func envelope(_ body: String) -> String {
        #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#
            + body + "</soapenv:Body></soapenv:Envelope>"
    }

    static func echoResponse(text: String = "pong", status: String? = nil) -> String {
        envelope(#"<e:EchoResponse xmlns:e="urn:test:echo" Id="r1"><e:Text>"# + text + "</e:Text>"
            + (status ?? "") + "</e:EchoResponse>")
    }

    /// A fault as the eHealth platform sends it for a malformed request.
    static let businessFault = #"""
    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
       <soapenv:Body>
          <soapenv:Fault>
             <faultcode>soapenv:Client</faultcode>
             <faultstring>SOA-03001</faultstring>
             <detail>
                <urn:BusinessError Id="ef5f1a07-4c46-4e16-9a54-8d9b0d2f1c3e" xmlns:urn="urn:be:fgov:ehealth:errors:soa:v1">
                   <Origin>Consumer</Origin>
                   <Code>SOA-03001</Code>
                   <Message xml:lang="nl">Misvormd bericht</Message>
                   <Message xml:lang="en">Malformed message</Message>
                   <Retry>false</Retry>
                   <urn:Environment>Production</urn:Environment>
                </urn:BusinessError>
             </detail>
          </soapenv:Fault>
       </soapenv:Body>
    </soapenv:Envelope>
    """#

    /// A `Status` reporting that the certificate is still being issued.
    static let notYetDeliveredStatus = #"""
    <c:Status xmlns:c="urn:be:fgov:ehealth:commons:core:v2">
      <c:StatusCode Value="urn:be:fgov:ehealth:2.0:status:Responder">
        <c:StatusCode Value="urn:be:fgov:ehealth:2.0:status:RequestDenied"/>
      </c:StatusCode>
      <c:StatusMessage>The certificate is not yet available</c:StatusMessage>
      <c:StatusDetail>
        <e:EteeStatusDetail xmlns:e="urn:be:fgov:ehealth:etee:commons:core:v2">
          <Errors>
            <Code>CERT_NOT_YET_DELIVERED</Code>
            <Message>Your certificate is not yet delivered</Message>
            <Parameters><Name>PublicKeyIdentifier</Name><Value>0A1B2C</Value></Parameters>
            <Parameters><Name>RetryAfter</Name><Value>10</Value></Parameters>
          </Errors>
          <Errors>
            <Code>MANUAL_VALIDATION</Code>
            <Message>The request waits for a manual validation</Message>
          </Errors>
        </e:EteeStatusDetail>
      </c:StatusDetail>
    </c:Status>
    """#

    static let successStatus = #"""
    <c:Status xmlns:c="urn:be:fgov:ehealth:commons:core:v2"><c:StatusCode Value="urn:be:fgov:ehealth:2.0:status:Success"/></c:Status>
    """#

    /// A file of the shared reference material (`shared/reference/...`), found by walking up
    /// from this source file.
    static func referenceFile(_ relativePath: String, from source: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: source).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/reference").appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("soapruntime-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
