import Foundation
import Testing
@testable import SOAPRuntime

@Suite struct SOAPEnvelopeTests {
    @Test func requestEnvelopeHasTheSOAP11ShapeAndRoundTrips() throws {
        let echo = Echo(id: "_42", text: "a < b & c", count: 3)
        let text = try SOAPEnvelope.request(body: Echo.request, echo, preferredPrefixes: ["urn:test:echo": "echo"])

        #expect(text == #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#
            + #"<echo:EchoRequest xmlns:echo="urn:test:echo" Id="_42"><echo:Text>a &lt; b &amp; c</echo:Text><Count>3</Count></echo:EchoRequest>"#
            + "</soapenv:Body></soapenv:Envelope>")

        let message = try SOAPEnvelope.parse(Data(text.utf8))
        #expect(message.payload.hasName("urn:test:echo", "EchoRequest"))
        #expect(message.header == nil)
        #expect(try Echo(xmlElement: message.payload) == echo)
    }

    @Test func theEnvelopePrefixWinsOverACallersPreference() throws {
        let text = try SOAPEnvelope.request(body: Echo.request, Echo(id: "1", text: "x"),
                                            preferredPrefixes: [SOAPEnvelope.namespace: "s", "urn:test:echo": "soapenv"])
        #expect(text.hasPrefix(#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">"#))
        // The payload's namespace cannot take the prefix already bound to the envelope's.
        #expect(!text.contains(#"xmlns:soapenv="urn:test:echo""#))
        #expect(try Echo(xmlElement: SOAPEnvelope.parse(Data(text.utf8)).payload).text == "x")
    }

    @Test func aHeaderBeforeTheBodyIsAccepted() throws {
        let text = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:Trace xmlns:h="urn:h"/></s:Header>"#
            + #"<s:Body><e:EchoResponse xmlns:e="urn:test:echo" Id="r"><e:Text>t</e:Text></e:EchoResponse></s:Body></s:Envelope>"#
        let message = try SOAPEnvelope.parse(Data(text.utf8))
        #expect(message.header?.firstChild?.hasName("urn:h", "Trace") == true)
        #expect(message.payload.hasName("urn:test:echo", "EchoResponse"))
    }

    @Test func aDocumentThatIsNotAnEnvelopeIsNotSOAP() throws {
        let error = try #require(throws: SOAPError.self) {
            try SOAPEnvelope.parse(Data(#"<e:EchoResponse xmlns:e="urn:test:echo" Id="r"/>"#.utf8))
        }
        #expect(error.code == .notSOAP)
        #expect(error.reason.contains("EchoResponse"))
    }

    @Test func anEnvelopeInAnotherNamespaceIsNotSOAP() throws {
        let error = try #require(throws: SOAPError.self) {
            try SOAPEnvelope.parse(Data(#"<Envelope><Body><x/></Body></Envelope>"#.utf8))
        }
        #expect(error.code == .notSOAP)
    }

    @Test func aSOAP12EnvelopeIsNamedAsSuch() throws {
        let text = #"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><x/></env:Body></env:Envelope>"#
        let error = try #require(throws: SOAPError.self) { try SOAPEnvelope.parse(Data(text.utf8)) }
        #expect(error.code == .notSOAP)
        #expect(error.reason.contains("SOAP 1.2"))
    }

    @Test func anEnvelopeWithoutBodyIsMissingBody() throws {
        let text = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>"#
        let error = try #require(throws: SOAPError.self) { try SOAPEnvelope.parse(Data(text.utf8)) }
        #expect(error.code == .missingBody)
    }

    @Test func aBodyWithoutElementIsEmpty() throws {
        let text = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body> text only </s:Body></s:Envelope>"#
        let error = try #require(throws: SOAPError.self) { try SOAPEnvelope.parse(Data(text.utf8)) }
        #expect(error.code == .emptyBody)
    }

    @Test func twoPayloadsAreRefused() throws {
        let error = try #require(throws: SOAPError.self) {
            try SOAPEnvelope.parse(Data(Fixtures.envelope("<a/><b/>").utf8))
        }
        #expect(error.code == .multiplePayloads)
    }

    @Test func aBillionLaughsDocumentIsRefusedBeforeAnyExpansion() throws {
        let bomb = """
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
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x>&lol9;</x></soapenv:Body></soapenv:Envelope>
            """
        let error = try #require(throws: XMLError.self) { try SOAPEnvelope.parse(Data(bomb.utf8)) }
        #expect(error.code == .doctypeForbidden)
    }

    @Test func anExternalEntityIsRefused() throws {
        let xxe = #"<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x>&x;</x></soapenv:Body></soapenv:Envelope>"#
        let error = try #require(throws: XMLError.self) { try SOAPEnvelope.parse(Data(xxe.utf8)) }
        #expect(error.code == .doctypeForbidden)
    }

    @Test func theParseLimitApplies() throws {
        let text = Fixtures.echoResponse(text: String(repeating: "a", count: 2_000))
        let error = try #require(throws: XMLError.self) {
            try SOAPEnvelope.parse(Data(text.utf8), limits: XMLParseLimits(maximumBytes: 1_000))
        }
        #expect(error.code == .tooLarge)
        #expect(try SOAPEnvelope.parse(Data(text.utf8), limits: XMLParseLimits(maximumBytes: 4_000)).payload.localName == "EchoResponse")
    }

    @Test func malformedBytesAreAnXMLError() throws {
        let error = try #require(throws: XMLError.self) { try SOAPEnvelope.parse(Data("<soapenv:Envelope".utf8)) }
        #expect(error.code == .malformed)
    }
}
