import Foundation
import SOAPRuntime
import Testing

/// Messages travel inside SOAP 1.1 envelopes: written by the runtime's envelope writer, read back
/// through `SOAPEnvelope.parse`, and decoded from the body's payload element.
@Suite struct SOAPEnvelopeRoundTripTests {
    @Test(arguments: EHealthMessageSamples.all)
    func thePayloadOfTheEnvelopeDecodesToTheOriginal(_ sample: MessageSample) throws {
        let text = try sample.envelope()
        #expect(text.hasPrefix(#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>"#))
        let message = try SOAPEnvelope.parse(Data(text.utf8))
        #expect(message.envelope.name == SOAPEnvelope.envelopeName)
        #expect(message.payload.name == sample.operationElement)
        try sample.expectElementDecodesToOriginal(message.payload, #_sourceLocation)
    }

    @Test(.enabled(if: ReferenceSchemas.available, ReferenceSchemas.skipReason), arguments: EHealthMessageSamples.all)
    func thePayloadTakenOutOfTheEnvelopeIsValid(_ sample: MessageSample) throws {
        let message = try SOAPEnvelope.parse(Data(sample.envelope().utf8))
        let payload = message.payload.serialized()
        let violations = try ReferenceSchemas.violations(of: payload)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))\n\(payload)")
    }
}
