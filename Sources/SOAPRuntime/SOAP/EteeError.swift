/// One `Errors` entry of an `EteeStatusDetail` (ehealth-etee-schema-core-2_0.xsd, `EteeErrorType`).
public struct EteeError: XMLContentCodable, Sendable, Equatable, CustomStringConvertible {
    /// A `Parameters` entry: details specific to the error code.
    public struct Parameter: XMLContentCodable, Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public init(xmlElement element: XMLElement) throws {
            var cursor = XMLChildCursor(element)
            name = try cursor.required(nil, "Name")
            value = try cursor.required(nil, "Value")
            try cursor.finish()
        }

        public func writeContent(to writer: inout XMLWriter) throws {
            try writer.element(XMLName(nil, "Name"), name)
            try writer.element(XMLName(nil, "Value"), value)
        }
    }

    /// e.g. `CERT_NOT_YET_DELIVERED` (cookbook chapter 7.1).
    public var code: String
    public var message: String
    public var parameters: [Parameter]

    public init(code: String, message: String, parameters: [Parameter] = []) {
        self.code = code
        self.message = message
        self.parameters = parameters
    }

    public init(xmlElement element: XMLElement) throws {
        var cursor = XMLChildCursor(element)
        code = try cursor.required(nil, "Code", as: String.self).trimmingXMLWhitespace
        message = try cursor.required(nil, "Message", as: String.self)
        parameters = try cursor.repeated(nil, "Parameters", min: 0, max: nil)
        try cursor.finish()
    }

    /// Writes the content of an `Errors` element (for a sandbox that reports failures).
    public func writeContent(to writer: inout XMLWriter) throws {
        try writer.element(XMLName(nil, "Code"), code)
        try writer.element(XMLName(nil, "Message"), message)
        try writer.elements(XMLName(nil, "Parameters"), parameters)
    }

    public var description: String {
        var text = code + ": " + message
        if !parameters.isEmpty {
            text += " (" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
