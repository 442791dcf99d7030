/// A response whose `Status` is not Success: the service understood the request and declined
/// it, with eHealth error codes saying why (cookbook chapter 7.1).
public struct EHealthStatusError: Error, Sendable, Equatable, CustomStringConvertible {
    public static let notYetDeliveredCode = "CERT_NOT_YET_DELIVERED"

    public let statusCode: String
    public let nestedStatusCode: String?
    public let statusMessage: String?
    public let errors: [EteeError]

    public init(statusCode: String, nestedStatusCode: String? = nil, statusMessage: String? = nil, errors: [EteeError] = []) {
        self.statusCode = statusCode
        self.nestedStatusCode = nestedStatusCode
        self.statusMessage = statusMessage
        self.errors = errors
    }

    public init(_ status: EHealthStatus) {
        self.init(statusCode: status.statusCode, nestedStatusCode: status.nestedStatusCode,
                  statusMessage: status.statusMessage, errors: status.errors)
    }

    /// getCertificate's "not yet, poll again": the certificate is still being issued.
    public var isNotYetDelivered: Bool { has(code: Self.notYetDeliveredCode) }

    public func has(code: String) -> Bool {
        errors.contains { $0.code == code }
    }

    public var description: String {
        var text = "eHealth status " + Self.shortName(statusCode)
        if let nestedStatusCode { text += "/" + Self.shortName(nestedStatusCode) }
        if let statusMessage, !statusMessage.isEmpty { text += ": " + statusMessage }
        if !errors.isEmpty {
            text += "; " + errors.map(\.description).joined(separator: "; ")
        }
        return text
    }

    /// `urn:be:fgov:ehealth:2.0:status:Requester` reads as `Requester`.
    private static func shortName(_ code: String) -> String {
        code.split(separator: ":").last.map(String.init) ?? code
    }
}
