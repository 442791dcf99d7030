import Foundation
import Generated
import Testing

/// Bytes that are not an acceptable XML document are refused with `.malformed` or `.tooLarge`.
@Suite struct MalformedDocumentTests {
    @Test func anUnclosedElementIsMalformed() throws {
        let error = try #require(throws: XMLError.self) {
            try GetCertificateRequestType(xmlDocument: #"<certra:GetCertificateRequest xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2""#)
        }
        #expect(error.code == .malformed)
    }

    @Test func mismatchedTagsAreMalformedWithTheirLine() throws {
        let text = """
            <certra:GetCertificateRequest xmlns:certra="urn:be:fgov:ehealth:certra:protocol:v2" IssueInstant="2026-03-14T09:26:53Z">
              <certra:PublicKeyIdentifier>5F0C3BA19E4277D016C82BE4910A6D38F58324BE</certra:PublicKeyIdentifier>
              <certra:Oops></certra:Wrong>
            </certra:GetCertificateRequest>
            """
        let error = try #require(throws: XMLError.self) { try GetCertificateRequestType(xmlDocument: text) }
        #expect(error.code == .malformed)
        #expect(error.line == 3)
    }

    @Test(arguments: ["", "   ", "not XML at all", "<a>&undefined;</a>", "<a b='1' b='2'/>", "<a/><b/>"])
    func textThatIsNotOneWellFormedElementIsMalformed(_ text: String) throws {
        let error = try #require(throws: XMLError.self) { try GetCertificateRequestType(xmlDocument: text) }
        #expect(error.code == .malformed)
    }

    @Test func aDocumentOverTheLimitIsTooLargeAndOneAtTheLimitIsRead() throws {
        let text = try SampleCertRARequests.getCertificate().xmlDocument()
        let size = text.utf8.count
        let error = try #require(throws: XMLError.self) {
            try GetCertificateRequestType(xmlDocument: text, limits: XMLParseLimits(maximumBytes: size - 1))
        }
        #expect(error.code == .tooLarge)
        #expect(error.reason.contains("\(size)"))
        #expect(try GetCertificateRequestType(xmlDocument: text, limits: XMLParseLimits(maximumBytes: size)) == SampleCertRARequests.getCertificate())
    }

    @Test func anEnvelopeOverTheLimitIsTooLarge() throws {
        let text = try SOAPEnvelope.response(body: GetCertificateResponseType.rootElementName, SampleCertRAResponses.getCertificate())
        let error = try #require(throws: XMLError.self) {
            try SOAPEnvelope.parse(Data(text.utf8), limits: XMLParseLimits(maximumBytes: 1024))
        }
        #expect(error.code == .tooLarge)
    }

    /// Every truncation and a spread of single-byte corruptions of a real message: each is either
    /// decoded or refused with an XMLError, never a crash or another kind of error.
    @Test(arguments: EHealthMessageSamples.all.filter { ["getCertificateInfoForCitizen", "revoke"].contains($0.operation) })
    func damagedMessagesAreRefusedWithAnXMLError(_ sample: MessageSample) throws {
        let bytes = Array(try sample.document().utf8)
        var damaged: [String] = stride(from: 0, to: bytes.count, by: 11).map { String(decoding: bytes[..<$0], as: UTF8.self) }
        for position in stride(from: 0, to: bytes.count, by: 23) {
            for replacement in ["<", "&", "\"", ">", "x"] {
                var copy = bytes
                copy[position] = replacement.utf8.first!
                damaged.append(String(decoding: copy, as: UTF8.self))
            }
        }
        var refused = 0
        for text in damaged {
            do {
                try sample.decodeDocument(text)
            } catch is XMLError {
                refused += 1
            }
        }
        #expect(refused > damaged.count / 2)
    }
}
