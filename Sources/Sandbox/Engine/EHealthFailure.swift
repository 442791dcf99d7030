import Generated
import SOAPRuntime

/// A refusal the platform expresses in the response's Status (cookbook chapter 7.1), with the
/// eHealth error code clients match on.
struct EHealthFailure: Error, Sendable {
    let code: String
    let message: String
    let parameters: [(String, String)]

    init(_ code: String, _ message: String, parameters: [(String, String)] = []) {
        self.code = code
        self.message = SandboxOnlyCode.marked(message, code: code)
        self.parameters = parameters
    }

    static let successCode = "urn:be:fgov:ehealth:2.0:status:Success"
    static let requesterCode = "urn:be:fgov:ehealth:2.0:status:Requester"

    var status: StatusType {
        let detail = EteeStatusDetailType(errors: [
            EteeErrorType(code: code, message: message, parameters: parameters.map { EteeErrorParameterType(name: $0.0, value: $0.1) }),
        ])
        let element = try? AnyXMLElement(EteeStatusDetailType.rootElementName, detail)
        return StatusType(statusCode: StatusCodeType(value: Self.requesterCode), statusMessage: message,
                          statusDetail: StatusDetailType(anyElements: element.map { [$0] } ?? []))
    }

    static var success: StatusType {
        StatusType(statusCode: StatusCodeType(value: successCode))
    }
}

/// A message the platform would refuse before any business logic: a SOAP fault (cookbook 7.2).
struct SOAFailure: Error, Sendable {
    let code: String
    let message: String
    let httpStatus: Int

    static func malformed(_ detail: String) -> SOAFailure {
        SOAFailure(code: "SOA-03001", message: "Malformed message: \(detail)", httpStatus: 500)
    }
    static func notSOAP(_ detail: String) -> SOAFailure {
        SOAFailure(code: "SOA-03002", message: "Message does not respect the SOAP standard: \(detail)", httpStatus: 500)
    }
    static func noBody(_ detail: String) -> SOAFailure {
        SOAFailure(code: "SOA-03003", message: "Message respects the SOAP standard, but body is missing: \(detail)", httpStatus: 500)
    }
}
