import Foundation
import Generated

/// Status elements of responses: a plain success, and a failure carrying the eHealth error detail.
enum SampleStatus {
    static let successCode = "urn:be:fgov:ehealth:2.0:status:Success"

    static let success = StatusType(
        statusCode: StatusCodeType(value: successCode),
        statusMessage: "Request processed"
    )

    /// Requester error refined by a second-level code, with an EteeStatusDetail listing two
    /// errors, each with parameters, as CertRA sends when a contract no longer matches.
    static func requesterError() throws -> StatusType {
        let detail = EteeStatusDetailType(errors: [
            EteeErrorType(code: "CONTRACT_INVALID", message: "The contract does not match the one generated for this request", parameters: [
                EteeErrorParameterType(name: "expectedDN", value: SampleActors.subjectDN),
                EteeErrorParameterType(name: "field", value: "Contract/Text"),
            ]),
            EteeErrorType(code: "CSR_INVALID_DN_INVALID", message: "The DN of the CSR is not the DN of the contract", parameters: [
                EteeErrorParameterType(name: "receivedDN", value: "CN=Anne Peeters, C=BE"),
                EteeErrorParameterType(name: "hint", value: "Use the DN of generateContract verbatim & unchanged <exactly>"),
            ]),
        ])
        return StatusType(
            statusCode: StatusCodeType(
                value: "urn:be:fgov:ehealth:2.0:status:Requester",
                statusCode: StatusCodeType(value: "urn:be:fgov:ehealth:2.0:status:InvalidInput")
            ),
            statusMessage: "The request is invalid",
            statusDetail: StatusDetailType(anyElements: [try AnyXMLElement(EteeStatusDetailType.rootElementName, detail)])
        )
    }
}
