import CertManagerKit
import Foundation

/// Renders `CertificateStatus`: what the platform says about a certificate and its ETK, and
/// what that means for renewal.
struct StatusPrinter {
    let terminal: Terminal
    let now: Date

    func text(_ status: CertificateStatus, warnDays: Int) -> String {
        var lines = [terminal.styled(status.distinguishedName ?? status.owner, .bold)]
        lines.append("  owner        \(status.ownerName) (\(status.owner)" + (status.applicationID.map { ", application id \($0)" } ?? "") + ")")
        lines.append("  certificate  \(status.state.rawValue)" + (status.serialNumber.map { ", serial \($0)" } ?? ""))
        if let notBefore = status.notBefore, let notAfter = status.notAfter {
            let days = status.daysLeft(at: now).map { $0 >= 0 ? " (\($0) days left)" : "" } ?? ""
            lines.append("  valid        \(KeystorePrinter.format(notBefore)) → \(KeystorePrinter.format(notAfter))\(days)")
        }
        lines.append("  ETK          \(status.etkState.rawValue)")
        lines.append("  renewal      " + Self.describe(status.renewal(at: now)))
        lines.append("  key id       \(status.publicKeyIdentifier.hex)")
        for warning in status.warnings(at: now, warnDays: warnDays) {
            lines.append("  " + terminal.styled("⚠ ", .yellow) + warning.description)
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ renewal: CertificateStatus.Renewal) -> String {
        switch renewal {
        case .open(let since): "replacement window open since \(KeystorePrinter.format(since)): `ehcert renew` now"
        case .notYet(let from): "possible from \(KeystorePrinter.format(from)) (ReplacementPeriodStartDate)"
        case .requestAnew: "not possible: request a new certificate (`ehcert create`)"
        case .unknown: "not known yet"
        }
    }
}

extension JSONOutput {
    struct Status: Encodable {
        struct Warning: Encodable {
            let code: String
            let message: String
        }
        let publicKeyIdentifier: String
        let owner: String
        let ownerName: String
        let applicationID: String?
        let entityType: String
        let status: String
        let etkStatus: String
        let requestedDate: Date
        let distinguishedName: String?
        let serialNumber: String?
        let notBefore: Date?
        let notAfter: Date?
        let daysLeft: Int?
        let revocable: Bool
        let replaceable: Bool
        let replacementPeriodStartDate: Date?
        /// `open`, `notYet`, `requestAnew`, `unknown`.
        let renewal: String
        let warnings: [Warning]

        init(_ status: CertificateStatus, now: Date, warnDays: Int) {
            publicKeyIdentifier = status.publicKeyIdentifier.hex
            owner = status.owner
            ownerName = status.ownerName
            applicationID = status.applicationID
            entityType = status.isOrganization ? "Organization" : "NaturalPerson"
            self.status = status.state.rawValue
            etkStatus = status.etkState.rawValue
            requestedDate = status.requestedAt
            distinguishedName = status.distinguishedName
            serialNumber = status.serialNumber
            notBefore = status.notBefore
            notAfter = status.notAfter
            daysLeft = status.daysLeft(at: now)
            revocable = status.revocable
            replaceable = status.replaceable
            replacementPeriodStartDate = status.replacementPeriodStart
            switch status.renewal(at: now) {
            case .open: renewal = "open"
            case .notYet: renewal = "notYet"
            case .requestAnew: renewal = "requestAnew"
            case .unknown: renewal = "unknown"
            }
            warnings = status.warnings(at: now, warnDays: warnDays).map { Warning(code: $0.code, message: $0.description) }
        }
    }

    struct CheckFinding: Encodable {
        let keystore: String
        let needsAttention: Bool
        let certificate: Status?
        let error: Failure.Body?
    }
}
