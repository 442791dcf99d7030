import Foundation
import Generated
import SOAPRuntime
import Testing

/// Our runtime writes the request envelope; zeep decodes it with its own deserialisation of the
/// operation's input message and reports every field with the value we sent.
@Suite("our requests decode in zeep", .enabled(if: ZeepHarness.isAvailable, ZeepHarness.unavailableReason))
struct SwiftToZeepTests {
    @Test("our bindings serialize, zeep decodes every field", arguments: InteropOperation.allCases)
    func ourRequestParsesInZeep(_ operation: InteropOperation) throws {
        let sample = try operation.sample()
        let envelope = try sample.ourEnvelope()

        let decoded = try ZeepHarness.parse(wsdl: sample.wsdl, operation: sample.operation, envelope: envelope)
        #expect(decoded["element"].stringValue == sample.inputElement.description)
        let differences = try decoded["value"].normalized().differences(from: sample.expectedZeepValue.normalized())
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
}
