/// One WSDL operation as generated bindings describe it: what to send, how to label it, and
/// which element must come back.
public struct SOAPOperation<Input: XMLContentCodable, Output: XMLContentCodable>: Sendable {
    /// The WSDL operation name, e.g. `generateContract` (also names the trace files).
    public let name: String
    /// Sent verbatim, quoted, in the `SOAPAction` header (its casing is irregular on purpose).
    public let soapAction: String
    /// The request payload element inside `soapenv:Body`.
    public let inputElement: XMLName
    /// The response payload element the service must answer with.
    public let outputElement: XMLName

    public init(name: String, soapAction: String, inputElement: XMLName, outputElement: XMLName) {
        self.name = name
        self.soapAction = soapAction
        self.inputElement = inputElement
        self.outputElement = outputElement
    }
}
