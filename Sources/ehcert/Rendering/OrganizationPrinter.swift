import CertManagerKit
import Foundation

/// Renders organization types with their identifier rules, and an organization's application ids.
struct OrganizationPrinter {
    let terminal: Terminal
    var languages = ["en", "fr", "nl"]

    func text(_ rules: [OrganizationIdentifierRule]) -> String {
        guard !rules.isEmpty else { return "The platform lists no organization type." }
        var lines: [String] = []
        for rule in rules {
            lines.append(terminal.styled(rule.identifierType, .bold) + "  \(rule.name(preferring: languages))")
            lines.append("    identifier   " + (rule.validationRegEx.map { $0.isEmpty ? "any" : "matches \($0)" } ?? "any"))
            lines.append("    check digit  " + (rule.checkDigitAlgorithms.isEmpty
                ? "none"
                : rule.checkDigitAlgorithms.map { "\($0) (\(CheckDigitAlgorithm(name: $0)))" }.joined(separator: ", ")))
            if !rule.availableBaseServices.isEmpty {
                lines.append("    services     " + rule.availableBaseServices.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    func text(_ ids: OrganizationDirectory.ApplicationIDs) -> String {
        let organization = "\(ids.organizationType)=\(ids.organizationIdentifier)"
        var lines: [String] = []
        if ids.inUse.isEmpty {
            lines.append("\(organization) uses no application id.")
        } else {
            lines.append("\(organization) uses \(ids.inUse.count) application id\(ids.inUse.count == 1 ? "" : "s"):")
            lines += ids.inUse.map { "  " + terminal.styled($0, .bold) }
        }
        if ids.hasCertificateWithoutApplicationID {
            lines.append("It also has a certificate without an application id.")
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONOutput {
    struct OrganizationType: Encodable {
        let identifierType: String
        let names: [String: String]
        let validationRegEx: String?
        let checkDigitAlgorithms: [String]
        let availableBaseServices: [String]

        init(_ rule: OrganizationIdentifierRule) {
            identifierType = rule.identifierType
            names = rule.names
            validationRegEx = rule.validationRegEx
            checkDigitAlgorithms = rule.checkDigitAlgorithms
            availableBaseServices = rule.availableBaseServices
        }
    }

    struct ApplicationIDs: Encodable {
        let organizationType: String
        let organizationIdentifier: String
        let applicationIDs: [String]
        let hasCertificateWithoutApplicationID: Bool

        init(_ ids: OrganizationDirectory.ApplicationIDs) {
            organizationType = ids.organizationType
            organizationIdentifier = ids.organizationIdentifier
            applicationIDs = ids.inUse
            hasCertificateWithoutApplicationID = ids.hasCertificateWithoutApplicationID
        }
    }
}
