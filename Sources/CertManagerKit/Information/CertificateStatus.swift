import Foundation
import Generated
import Security

/// What the platform says about one eHealth certificate and its ETK (CertificateInfoType of
/// getCertificateInfoForAuthenticationCertificate and getCertificateInfoForCitizen), with what
/// it means for renewal (protocol-facts "Replacement and activation", cookbook 4.3.5).
public struct CertificateStatus: Sendable, Equatable {
    /// `AuthenticationCertificateStatus`, as the bindings decode it: a status a later version of
    /// CertRA adds arrives as `.unrecognized("VALUE")`, never as another state.
    public typealias State = CertificateStatusType

    /// `ETKStatus`, likewise.
    public typealias ETKState = ETKStatusType

    /// Whether the certificate can be renewed now, later, or not at all.
    public enum Renewal: Sendable, Equatable {
        /// The replacement window is open (`Replaceable`): `renew` creates its successor.
        case open(since: Date)
        /// Not yet: the window opens at `from` (`ReplacementPeriodStartDate`).
        case notYet(from: Date)
        /// Expired, revoked or refused: it cannot be renewed, only requested anew (`create`).
        case requestAnew
        /// Not delivered yet, or the platform gave no date.
        case unknown
    }

    public let publicKeyIdentifier: Security.PublicKeyIdentifier
    /// `SSIN=…`, `CBE=…`: the owner's identifier.
    public let owner: String
    /// The owner's name as the platform has it (`First Last`, or the organization's name).
    public let ownerName: String
    public let applicationID: String?
    public let isOrganization: Bool
    public let state: State
    public let etkState: ETKState
    public let requestedAt: Date
    /// The certificate's DN, serial number and validity, once it is delivered.
    public let distinguishedName: String?
    public let serialNumber: String?
    public let notBefore: Date?
    public let notAfter: Date?
    public let replaceable: Bool
    public let revocable: Bool
    public let replacementPeriodStart: Date?
    /// `ContactData`: whom the platform contacts about this certificate.
    public let contact: CreateETKRequest.Contact?
    /// `BaseServiceUsage`: the eHealth base services told about this certificate (kept at renewal).
    public var baseServiceUsage: [String] = []

    public init(publicKeyIdentifier: Security.PublicKeyIdentifier, owner: String, ownerName: String, applicationID: String?,
                isOrganization: Bool, state: State, etkState: ETKState, requestedAt: Date, distinguishedName: String?,
                serialNumber: String?, notBefore: Date?, notAfter: Date?, replaceable: Bool, revocable: Bool,
                replacementPeriodStart: Date?, contact: CreateETKRequest.Contact? = nil) {
        self.publicKeyIdentifier = publicKeyIdentifier
        self.owner = owner
        self.ownerName = ownerName
        self.applicationID = applicationID
        self.isOrganization = isOrganization
        self.state = state
        self.etkState = etkState
        self.requestedAt = requestedAt
        self.distinguishedName = distinguishedName
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.replaceable = replaceable
        self.revocable = revocable
        self.replacementPeriodStart = replacementPeriodStart
        self.contact = contact
    }

    init(_ info: CertificateInfoType) throws {
        let actor = info.certificateEntity.certificateIdentifier.actor
        let details = info.authenticationCertificateDetails
        self.init(
            publicKeyIdentifier: try Security.PublicKeyIdentifier(bytes: Array(info.publicKeyIdentifier.value.bytes)),
            owner: DisplayText.clean(actor.id.first.map { "\($0.type)=\($0.value)" } ?? ""),
            ownerName: DisplayText.clean((actor.firstName + [actor.name]).joined(separator: " ")),
            applicationID: info.certificateEntity.certificateIdentifier.applicationId.map(DisplayText.clean),
            isOrganization: info.certificateEntity.entityType == .organization,
            state: info.authenticationCertificateStatus,
            etkState: info.etkStatus,
            requestedAt: info.requestedDate.date,
            distinguishedName: details.flatMap { $0.dn }.map(DisplayText.clean), serialNumber: details?.serialNumber,
            notBefore: details?.validNotBefore.date, notAfter: details?.validNotAfter.date,
            replaceable: info.replaceable, revocable: info.revocable,
            replacementPeriodStart: info.replacementPeriodStartDate?.date,
            contact: CreateETKRequest.Contact(email: info.contactData.emailPrivate, phone: info.contactData.phonePrivate,
                                              generalEmail: info.contactData.emailGeneral, generalPhone: info.contactData.phoneGeneral))
        baseServiceUsage = info.baseServiceUsage
    }

    /// Renewal as the platform decides it: `Replaceable` opens the window (cookbook 4.3.5).
    public func renewal(at now: Date = Date()) -> Renewal {
        if state == .expired || state == .revoked || state == .refused || (notAfter.map { $0 <= now } ?? false) {
            return .requestAnew
        }
        if replaceable { return .open(since: replacementPeriodStart ?? now) }
        if let start = replacementPeriodStart { return .notYet(from: start) }
        return .unknown
    }

    /// Whole days left until the certificate (and its ETK) expire; nil before delivery.
    public func daysLeft(at now: Date = Date()) -> Int? {
        notAfter.map { Int(($0.timeIntervalSince(now) / 86_400).rounded(.down)) }
    }

    /// What needs the person's attention within `warnDays`: expiry near, the replacement window
    /// open (or opening), the certificate unusable, a replacement ETK not activated.
    public func warnings(at now: Date = Date(), warnDays: Int) -> [Warning] {
        var warnings: [Warning] = []
        switch state {
        case .expired: warnings.append(.expired)
        case .revoked: warnings.append(.revoked)
        case .refused: warnings.append(.refused)
        case .inProgress, .validActive: break
        case .unrecognized(let value): warnings.append(.unrecognizedStatus(value))
        }
        if state == .validActive, let notAfter, let days = daysLeft(at: now) {
            if notAfter <= now {
                warnings.append(.expired)
            } else if days < warnDays {
                warnings.append(.expiresSoon(days: days, on: notAfter))
            }
        }
        if state == .validActive {
            switch renewal(at: now) {
            case .open(let since): warnings.append(.replacementWindowOpen(since: since))
            case .notYet(let from) where from.timeIntervalSince(now) < Double(warnDays) * 86_400:
                warnings.append(.replacementWindowOpens(on: from))
            default: break
            }
        }
        if etkState == .waitForActivation { warnings.append(.etkWaitsForActivation) }
        if case .unrecognized(let value) = etkState { warnings.append(.unrecognizedETKStatus(value)) }
        return warnings
    }

    public enum Warning: Sendable, Equatable, CustomStringConvertible {
        case expiresSoon(days: Int, on: Date)
        case expired
        case revoked
        case refused
        case replacementWindowOpen(since: Date)
        case replacementWindowOpens(on: Date)
        case etkWaitsForActivation
        /// A status that a later version of CertRA added and this version does not know.
        case unrecognizedStatus(String)
        case unrecognizedETKStatus(String)

        /// A stable name for scripts.
        public var code: String {
            switch self {
            case .expiresSoon: "EXPIRES_SOON"
            case .expired: "EXPIRED"
            case .revoked: "REVOKED"
            case .refused: "REFUSED"
            case .replacementWindowOpen: "REPLACEMENT_WINDOW_OPEN"
            case .replacementWindowOpens: "REPLACEMENT_WINDOW_OPENS"
            case .etkWaitsForActivation: "ETK_WAITS_FOR_ACTIVATION"
            case .unrecognizedStatus: "UNRECOGNIZED_STATUS"
            case .unrecognizedETKStatus: "UNRECOGNIZED_ETK_STATUS"
            }
        }

        public var description: String {
            switch self {
            case .expiresSoon(let days, let date):
                "the certificate and its ETK expire in \(days) day\(days == 1 ? "" : "s") (\(CertificateStatus.day(date))): renew it now"
            case .expired:
                "the certificate has expired: it cannot be renewed, only requested anew (`ehcert create`)"
            case .revoked:
                "the certificate is revoked: request a new one (`ehcert create`)"
            case .refused:
                "the request was refused by the platform: request a new one (`ehcert create`)"
            case .replacementWindowOpen(let since):
                "the replacement window is open since \(CertificateStatus.day(since)): renew it (`ehcert renew`) before it expires"
            case .replacementWindowOpens(let date):
                "the replacement window opens on \(CertificateStatus.day(date)): renew it then"
            case .etkWaitsForActivation:
                "the new ETK waits for activation (`ehcert activate`); until then senders use the old one"
            case .unrecognizedStatus(let value):
                "the platform reports the certificate as \(DisplayText.clean(value)), a status this version of ehcert does not know: check it in the platform's web application"
            case .unrecognizedETKStatus(let value):
                "the platform reports the ETK as \(DisplayText.clean(value)), a status this version of ehcert does not know: check it in the platform's web application"
            }
        }
    }

    static func day(_ date: Date) -> String { CreateETKFlow.day(date) }
}
