import Foundation
import Security
import SOAPRuntime

/// The one error type of CertManagerKit: a stable `code` to match on (the eHealth code when the
/// platform gave one, e.g. `CSR_INVALID_DN_INVALID`), what happened, and what to do next.
///
/// Every failure a flow reports is one of these: eHealth status errors (cookbook chapter 7.1),
/// SOA faults (chapter 7.2), transport problems, keystore and key problems, and the flow's own
/// conditions (contract declined, certificate not yet delivered). ``category`` says what kind of
/// outcome it is, so that a front end can choose an exit code or a dialog without parsing text.
public struct CertManagerError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// What kind of outcome an error is.
    public enum Category: String, Sendable, Equatable, CaseIterable {
        /// The caller's input is wrong (an identifier, an application id, an option).
        case invalidInput
        /// The platform understood the request and refused it (a chapter-7 code, a business fault).
        case refused
        /// Not an error as such: the platform is still working on it; resume the flow later.
        case pending
        /// The network or the platform is unavailable; trying again later may succeed.
        case unavailable
        /// The request was malformed or the answer broke the protocol: a defect to report.
        case protocolViolation
        /// The local set-up: trust roots, endpoints, the eID, the keystore password.
        case configuration
        /// Files, keys or the work directory.
        case local
        /// The person stopped the flow (declined the contract, cancelled).
        case cancelled
    }

    public let code: Code
    public let category: Category
    /// What happened, in one sentence.
    public let reason: String
    /// What the person should do next.
    public let advice: String
    /// The operation that failed, when a call to the platform failed (e.g. `generateCertificate`).
    public let operation: String?
    /// The platform's ticket (the SOA fault's `Id`), to quote to the eHealth service desk.
    public let ticket: String?
    /// Whether sending the same request again may succeed (used only for operations safe to repeat).
    public let isTransient: Bool

    public init(_ code: Code, _ category: Category, reason: String, advice: String,
                operation: String? = nil, ticket: String? = nil, isTransient: Bool = false) {
        self.code = code
        self.category = category
        // Reasons and advice quote the platform's messages; they end up on a terminal.
        self.reason = DisplayText.clean(reason)
        self.advice = DisplayText.clean(advice)
        self.operation = operation
        self.ticket = ticket
        self.isTransient = isTransient
    }

    public var description: String {
        var text = "\(code.rawValue): \(reason)"
        if let operation { text = "\(operation): " + text }
        if let ticket { text += " (platform ticket \(ticket))" }
        if !advice.isEmpty { text += " " + advice }
        return text
    }

    func with(operation: String) -> CertManagerError {
        CertManagerError(code, category, reason: reason, advice: advice, operation: self.operation ?? operation,
                         ticket: ticket, isTransient: isTransient)
    }
}

// MARK: - The flows' own codes

extension CertManagerError.Code {
    /// The person declined the contract; nothing was signed.
    public static let contractDeclined = Self("CONTRACT_DECLINED")
    /// The flow was cancelled; its journal is intact.
    public static let cancelled = Self("CANCELLED")
    /// getActorQualities: the signer may not request a certificate for this owner.
    public static let notAuthorized = Self("NOT_AUTHORIZED")
    /// An organization identifier fails the type's ValidationRegEx or check digit.
    public static let organizationIdentifierInvalid = Self("ORGANIZATION_IDENTIFIER_INVALID")
    /// The organization type is not among getGenericOrganizationTypes.
    public static let organizationTypeUnknown = Self("ORGANIZATION_TYPE_UNKNOWN")
    /// The application id is already used by the organization (getExistingApplicationIds).
    public static let applicationIDInUse = Self("APPLICATION_ID_IN_USE")
    /// The answer contradicts what was asked (a DN, a key, a PublicKeyIdentifier that is not ours).
    public static let unexpectedAnswer = Self("UNEXPECTED_ANSWER")
    /// The journal cannot be read or written, or belongs to another kind of flow.
    public static let journalUnusable = Self("JOURNAL_UNUSABLE")
    /// No flow with that id in the work directory.
    public static let flowNotFound = Self("FLOW_NOT_FOUND")
    /// The flow already finished.
    public static let flowFinished = Self("FLOW_FINISHED")
    /// The eID keys could not be opened.
    public static let eIDUnavailable = Self("EID_UNAVAILABLE")
    /// A file could not be written or read.
    public static let fileFailed = Self("FILE_FAILED")
    /// The network or server failed below the eHealth protocol.
    public static let transportFailed = Self("TRANSPORT_FAILED")
    /// The server's TLS certificate is not trusted.
    public static let untrustedServer = Self("UNTRUSTED_SERVER")
    /// An HTTP error without a SOAP answer.
    /// An endpoint over plain http to another machine.
    public static let insecureEndpoint = Self("INSECURE_ENDPOINT")
    /// An answer whose InResponseTo names another request.
    public static let responseMismatch = Self("RESPONSE_MISMATCH")
    /// A certificate the platform delivered is not trusted (chain, dates, usage).
    public static let untrustedCertificate = Self("UNTRUSTED_CERTIFICATE")
    public static let httpError = Self("HTTP_ERROR")
    /// The response is not the SOAP message the operation defines.
    public static let malformedResponse = Self("MALFORMED_RESPONSE")
    /// A SOAP fault without an eHealth error in it.
    public static let soapFault = Self("SOAP_FAULT")
    /// An eHealth status other than Success, without a known code.
    public static let requestFailed = Self("REQUEST_FAILED")
    /// A failure in the cryptography or keystore layer (the Security module's code follows).
    public static let security = Self("SECURITY")
}
