import CertManagerKit
import Foundation

/// Renders an `ETKReport`: owner, encryption certificate, validity, signer, and the keystore match.
struct ETKPrinter {
    let terminal: Terminal
    let now: Date

    func text(_ report: ETKReport) -> String {
        var lines = [terminal.styled("ETK", .bold) + " \(report.file.path)  (\(report.encoding.rawValue.uppercased()))"]
        lines.append("  owner        \(report.ownerName.map { "\($0), " } ?? "")\(report.ownerIdentifier ?? report.owner)"
                     + (report.applicationID.map { ", application id \($0)" } ?? ""))
        lines.append("  DN           \(report.owner)")
        lines.append("  valid        \(KeystorePrinter.format(report.notBefore)) → \(KeystorePrinter.format(report.notAfter))  " + validity(report))
        let encryption = report.encryptionCertificate
        lines.append(terminal.styled("  encryption certificate", .bold))
        lines.append("      subject  \(encryption.subject)")
        lines.append("      issuer   \(encryption.issuer)")
        lines.append("      serial   \(encryption.serialNumber)")
        lines.append("      key      \(encryption.keyAlgorithm)")
        if let authentication = report.authenticationCertificate {
            lines.append("  authentication certificate  serial \(authentication.serialNumber), issued by \(authentication.issuer)")
        }
        lines.append("  signed by    \(report.signer.subject)  (\(report.digestAlgorithm), certificate valid until \(KeystorePrinter.format(report.signer.notAfter)))")
        if let match = report.keystore {
            lines.append(terminal.styled("Keystore", .bold) + " \(match.file.path)")
            if let alias = match.alias {
                lines.append("  " + terminal.styled("✓", .green) + " holds the ETK's private key under the alias \(alias)")
                if match.aliasDiffers {
                    lines.append("  " + terminal.styled("⚠", .yellow) + " the platform's connector looks for it under the alias \(match.expectedAlias) (the certificate's serial number)")
                }
            } else {
                lines.append("  " + terminal.styled("✗", .red) + " does not hold the ETK's private key (expected under the alias \(match.expectedAlias)): messages encrypted for this ETK cannot be read with it")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func validity(_ report: ETKReport) -> String {
        if now < report.notBefore { return terminal.styled("not yet valid", .yellow) }
        if now > report.notAfter { return terminal.styled("expired", .red) }
        let days = Int(report.notAfter.timeIntervalSince(now) / 86_400)
        return terminal.styled("valid, \(days) days left", .green)
    }
}

extension JSONOutput {
    struct ETKDetails: Encodable {
        struct KeystoreMatch: Encodable {
            let file: String
            let holdsKey: Bool
            let alias: String?
            let expectedAlias: String
        }
        let file: String
        let encoding: String
        let owner: String
        let ownerIdentifier: String?
        let ownerName: String?
        let applicationID: String?
        let notBefore: Date
        let notAfter: Date
        let encryptionCertificate: Certificate
        let authenticationCertificate: Certificate?
        let signer: Certificate
        let digestAlgorithm: String
        let keystore: KeystoreMatch?

        init(_ report: ETKReport) {
            file = report.file.path
            encoding = report.encoding.rawValue
            owner = report.owner
            ownerIdentifier = report.ownerIdentifier
            ownerName = report.ownerName
            applicationID = report.applicationID
            notBefore = report.notBefore
            notAfter = report.notAfter
            encryptionCertificate = Certificate(report.encryptionCertificate)
            authenticationCertificate = report.authenticationCertificate.map(Certificate.init)
            signer = Certificate(report.signer)
            digestAlgorithm = report.digestAlgorithm
            keystore = report.keystore.map { KeystoreMatch(file: $0.file.path, holdsKey: $0.holdsKey, alias: $0.alias, expectedAlias: $0.expectedAlias) }
        }
    }
}
