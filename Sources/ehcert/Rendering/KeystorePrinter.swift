import CertManagerKit
import Foundation

/// Renders a `KeystoreReport`: aliases, subjects, validity, the ETK and its serial.
struct KeystorePrinter {
    let terminal: Terminal

    func text(_ report: KeystoreReport) -> String {
        var lines = [terminal.styled("Keystore", .bold) + " \(report.file.path)" + (report.protection.map { "  (\($0))" } ?? "")]
        for entry in report.entries {
            let role: String
            switch entry.role {
            case .authentication: role = "eHealth authentication key"
            case .encryption: role = "ETK encryption key"
            case .otherKey: role = "private key"
            case .trustedCertificate: role = "trusted certificate"
            }
            lines.append("  " + terminal.styled(entry.alias, .bold) + "  \(role)" + (entry.keyAlgorithm.map { ", \($0)" } ?? ""))
            for (index, certificate) in entry.certificates.enumerated() {
                if index == 0 {
                    lines.append("      subject  \(certificate.subject)")
                    lines.append("      issuer   \(certificate.issuer)")
                    lines.append("      serial   \(certificate.serialNumber)")
                    lines.append("      valid    \(Self.format(certificate.notBefore)) → \(Self.format(certificate.notAfter))  (\(certificate.keyAlgorithm))"
                                 + state(certificate))
                } else {
                    lines.append("      chain    \(certificate.subject)")
                }
            }
        }
        if let etk = report.etk {
            lines.append(terminal.styled("ETK", .bold) + " \(etk.file.path)")
            lines.append("      encryption certificate serial \(etk.alias), \(etk.encryptionCertificate.keyAlgorithm)")
            lines.append("      valid    \(Self.format(etk.encryptionCertificate.notBefore)) → \(Self.format(etk.encryptionCertificate.notAfter))"
                         + state(etk.encryptionCertificate))
            lines.append("      key      " + (etk.keystoreHoldsKey
                ? terminal.styled("✓", .green) + " the keystore holds its encryption key under the alias \(etk.alias)"
                : terminal.styled("✗", .red) + " the keystore has no encryption key under the alias \(etk.alias)"))
        }
        return lines.joined(separator: "\n")
    }

    /// `  EXPIRED` or `  NOT YET VALID`, so that nobody installs a dead keystore.
    private func state(_ certificate: KeystoreReport.CertificateSummary) -> String {
        switch certificate.validity {
        case .valid: ""
        case .expired: "  " + terminal.styled("EXPIRED", .red)
        case .notYetValid: "  " + terminal.styled("NOT YET VALID", .yellow)
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}

/// The JSON forms of what the commands print.
enum JSONOutput {
    struct Certificate: Encodable {
        let subject: String
        let issuer: String
        let serialNumber: String
        let notBefore: Date
        let notAfter: Date
        let keyAlgorithm: String
        /// `valid`, `expired` or `notYetValid`, when the command ran.
        let state: String

        init(_ summary: KeystoreReport.CertificateSummary) {
            subject = summary.subject
            issuer = summary.issuer
            serialNumber = summary.serialNumber
            notBefore = summary.notBefore
            notAfter = summary.notAfter
            keyAlgorithm = summary.keyAlgorithm
            state = summary.validity.rawValue
        }
    }

    struct Entry: Encodable {
        let alias: String
        let role: String
        let keyAlgorithm: String?
        let certificates: [Certificate]
    }

    struct ETK: Encodable {
        let file: String
        let alias: String
        let keystoreHoldsKey: Bool
        let encryptionCertificate: Certificate
    }

    struct Keystore: Encodable {
        let file: String
        let protection: String?
        let entries: [Entry]
        let etk: ETK?

        init(_ report: KeystoreReport) {
            file = report.file.path
            protection = report.protection
            entries = report.entries.map { Entry(alias: $0.alias, role: $0.role.rawValue, keyAlgorithm: $0.keyAlgorithm, certificates: $0.certificates.map(Certificate.init)) }
            etk = report.etk.map { ETK(file: $0.file.path, alias: $0.alias, keystoreHoldsKey: $0.keystoreHoldsKey, encryptionCertificate: Certificate($0.encryptionCertificate)) }
        }
    }

    struct Failure: Encodable {
        struct Body: Encodable {
            let code: String
            let category: String
            let reason: String
            let advice: String
            let operation: String?
            let ticket: String?
            let exitCode: Int32
        }
        let error: Body

        init(_ error: CertManagerError) {
            self.error = Body(code: error.code.rawValue, category: error.category.rawValue, reason: error.reason, advice: error.advice,
                              operation: error.operation, ticket: error.ticket, exitCode: ExitStatus(error.category).rawValue)
        }
    }

    static func print(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
