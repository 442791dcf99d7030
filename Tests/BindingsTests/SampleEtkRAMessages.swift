import Foundation
import Generated

/// One fully populated request and response of each EtkRA v2 operation.
enum SampleEtkRAMessages {
    static func startETKRegistrationRequest() throws -> StartETKRegistrationRequestType {
        StartETKRegistrationRequestType(id: "request-start-etk", issueInstant: SampleInstants.requestIssued,
                                        publicEncryptionKey: SampleBytes.derPublicKey,
                                        signature: try SampleSignature.signing("request-start-etk"))
    }

    static func startETKRegistrationResponse() -> StartETKRegistrationResponseType {
        StartETKRegistrationResponseType(id: "response-start-etk", inResponseTo: "request-start-etk",
                                         issueInstant: SampleInstants.responseIssued, status: SampleStatus.success,
                                         challenge: SampleBytes.pattern(count: 256 + 32, seed: 77))
    }

    static func completeETKRegistrationRequest() throws -> CompleteETKRegistrationRequestType {
        CompleteETKRegistrationRequestType(id: "request-complete-etk", issueInstant: SampleInstants.requestIssued,
                                           toBeRegistered: SampleBytes.derCertificate,
                                           signature: try SampleSignature.signing("request-complete-etk"))
    }

    static func completeETKRegistrationResponse() -> CompleteETKRegistrationResponseType {
        CompleteETKRegistrationResponseType(id: "response-complete-etk", inResponseTo: "request-complete-etk",
                                            issueInstant: SampleInstants.responseIssued, status: SampleStatus.success,
                                            etk: SampleBytes.pattern(count: 2048, seed: 19), toBeActivated: true)
    }

    static func activateETKRequest() throws -> ActivateETKRequestType {
        ActivateETKRequestType(id: "request-activate-etk", issueInstant: SampleInstants.requestIssued,
                               signature: try SampleSignature.signing("request-activate-etk"))
    }

    /// A refusal, to carry a nested status code and the eHealth error detail.
    static func activateETKResponse() throws -> ActivateETKResponseType {
        ActivateETKResponseType(id: "response-activate-etk", inResponseTo: "request-activate-etk",
                                issueInstant: SampleInstants.responseIssued, status: try SampleStatus.requesterError())
    }
}
