import Foundation
import Generated
import SOAPRuntime
import Testing

/// zeep builds the request envelope from keyword values; our runtime parses it and the generated
/// request type decodes it to exactly the request those values describe.
@Suite("zeep's requests decode in our bindings", .enabled(if: ZeepHarness.isAvailable, ZeepHarness.unavailableReason))
struct ZeepToSwiftTests {
    @Test("zeep serializes, our bindings decode every field", arguments: InteropOperation.allCases)
    func zeepRequestDecodes(_ operation: InteropOperation) throws {
        let sample = try operation.sample()
        let envelope = try ZeepHarness.serialize(wsdl: sample.wsdl, operation: sample.operation, values: sample.zeepArguments)

        let message = try SOAPEnvelope.parse(envelope)
        #expect(message.header == nil)
        #expect(message.payload.name == sample.inputElement)
        try sample.expectDecodesToRequest(message.payload)
    }
}
