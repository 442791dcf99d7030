/// The `Status` an eHealth response carries (commons core v2, `StatusResponseType`), with the
/// Certificate Manager's `EteeStatusDetail` errors when it reports a failure.
public struct EHealthStatus: Sendable, Equatable {
    public static let namespace = "urn:be:fgov:ehealth:commons:core:v2"
    public static let eteeNamespace = "urn:be:fgov:ehealth:etee:commons:core:v2"
    public static let successCode = "urn:be:fgov:ehealth:2.0:status:Success"

    /// `StatusCode/@Value`.
    public var statusCode: String
    /// `StatusCode/StatusCode/@Value`, the more specific reason the platform may nest.
    public var nestedStatusCode: String?
    public var statusMessage: String?
    /// The `Errors` of every `EteeStatusDetail` in `StatusDetail`.
    public var errors: [EteeError]

    public var isSuccess: Bool { statusCode == Self.successCode }

    public init(statusCode: String, nestedStatusCode: String? = nil, statusMessage: String? = nil, errors: [EteeError] = []) {
        self.statusCode = statusCode
        self.nestedStatusCode = nestedStatusCode
        self.statusMessage = statusMessage
        self.errors = errors
    }

    /// Reads a `Status` element: `StatusCode`, then optional `StatusMessage` and `StatusDetail`.
    public init(statusElement status: XMLElement) throws {
        guard let code = status.firstChild, code.hasName(Self.namespace, "StatusCode") else {
            throw XMLError(.missingElement, "StatusCode is required in Status", path: status.path, line: status.line)
        }
        statusCode = try Self.value(of: code)
        if let nested = code.firstChild, nested.hasName(Self.namespace, "StatusCode") {
            nestedStatusCode = try Self.value(of: nested)
        } else {
            nestedStatusCode = nil
        }
        var next = code.nextSibling
        statusMessage = nil
        if let message = next, message.hasName(Self.namespace, "StatusMessage") {
            statusMessage = message.text
            next = message.nextSibling
        }
        errors = []
        if let detail = next, detail.hasName(Self.namespace, "StatusDetail") {
            // StatusDetail is xs:any; only the Certificate Manager's EteeStatusDetail is understood.
            for element in detail.children where element.hasName(Self.eteeNamespace, "EteeStatusDetail") {
                // EteeErrorType's children are local elements of an unqualified schema: no namespace.
                var cursor = XMLChildCursor(element)
                errors += try cursor.repeated(nil, "Errors", min: 0, max: nil, as: EteeError.self)
                // Strict even when decoding tolerates additions: a misqualified Errors element would
                // otherwise be skipped and the failure's reasons silently lost.
                try XMLDecoding.strict { try cursor.finish() }
            }
            next = detail.nextSibling
        }
        if let unexpected = next {
            throw XMLError(.unexpectedElement, "unexpected element \(unexpected.name) in Status",
                           path: unexpected.path, line: unexpected.line)
        }
    }

    private static func value(of statusCode: XMLElement) throws -> String {
        guard let value = statusCode.attribute("Value") else {
            throw XMLError(.missingAttribute, "attribute Value is required on StatusCode",
                           path: statusCode.path, line: statusCode.line)
        }
        return value.trimmingXMLWhitespace
    }

    /// The payload's `Status` child, or nil when the response type has none.
    public static func read(from payload: XMLElement) throws -> EHealthStatus? {
        var child = payload.firstChild
        while let element = child {
            if element.hasName(namespace, "Status") { return try EHealthStatus(statusElement: element) }
            child = element.nextSibling
        }
        return nil
    }

    /// Throws `EHealthStatusError` when the payload's `Status` is not Success; a payload
    /// without `Status` has nothing to check.
    public static func check(_ payload: XMLElement) throws {
        guard let status = try read(from: payload), !status.isSuccess else { return }
        throw EHealthStatusError(status)
    }
}
