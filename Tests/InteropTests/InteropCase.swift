import Foundation
import Generated
import SOAPRuntime
import Testing

/// One request of one operation, seen from both sides: the keyword values zeep is given, the
/// value zeep should decode, the envelope our bindings write, and the check that our bindings
/// decode zeep's envelope back to exactly this request.
struct InteropCase: Sendable {
    let operation: String
    let soapAction: String
    let inputElement: XMLName
    let wsdl: URL
    /// The request as `Client.create_message` keyword arguments.
    let zeepArguments: JSONValue
    /// The request as zeep's deserialisation should report it.
    let expectedZeepValue: JSONValue
    /// The request envelope as our runtime writes it.
    let ourEnvelope: @Sendable () throws -> String
    private let decodeAndCompare: @Sendable (XMLElement, SourceLocation) throws -> Void

    init<Request: XMLRootElement & Equatable & ZeepShaped, Response>(
        _ operation: SOAPOperation<Request, Response>, wsdl: URL, _ request: Request
    ) {
        self.operation = operation.name
        self.soapAction = operation.soapAction
        self.inputElement = operation.inputElement
        self.wsdl = wsdl
        zeepArguments = request.zeepValue(.arguments)
        expectedZeepValue = request.zeepValue(.decoded)
        ourEnvelope = { try SOAPEnvelope.request(body: operation.inputElement, request) }
        decodeAndCompare = { payload, sourceLocation in
            let decoded = try Request(xmlElement: payload)
            #expect(decoded == request, sourceLocation: sourceLocation)
        }
    }

    /// Decodes a payload element with the generated request type and expects it to equal the request.
    func expectDecodesToRequest(_ payload: XMLElement, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try decodeAndCompare(payload, sourceLocation)
    }
}
