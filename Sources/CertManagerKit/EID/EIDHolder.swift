import Foundation
import SwiftASN1
import X509

/// The person an eID certificate belongs to, read from its subject: the SSIN in
/// `serialNumber` (2.5.4.5), the given names in `givenName` (2.5.4.42), the surname in
/// `surname` (2.5.4.4), as Belgian eID certificates carry them.
public struct EIDHolder: Sendable, Equatable, Codable {
    public let ssin: String
    public let firstNames: String
    public let lastName: String

    public init(ssin: String, firstNames: String, lastName: String) {
        self.ssin = ssin
        self.firstNames = firstNames
        self.lastName = lastName
    }

    public init(certificate: Certificate) throws {
        var values: [ASN1ObjectIdentifier: String] = [:]
        for relativeName in certificate.subject {
            for attribute in relativeName where values[attribute.type] == nil {
                values[attribute.type] = String(describing: attribute.value)
            }
        }
        guard let ssin = values[[2, 5, 4, 5]], ssin.count == 11, ssin.allSatisfy(\.isNumber) else {
            throw CertManagerError(.eIDUnavailable, .configuration,
                                   reason: "the eID certificate \(certificate.subject) carries no SSIN (serialNumber)",
                                   advice: "Use the Authentication key of a Belgian eID (or a software eID made like one).")
        }
        self.ssin = ssin
        firstNames = values[[2, 5, 4, 42]] ?? ""
        lastName = values[[2, 5, 4, 4]] ?? Self.commonNameWithoutRole(values[ASN1ObjectIdentifier.RDNAttributeType.commonName] ?? ssin)
    }

    /// "Jean Dupont (Authentication)" → "Jean Dupont".
    private static func commonNameWithoutRole(_ commonName: String) -> String {
        guard let parenthesis = commonName.firstIndex(of: "(") else { return commonName }
        return commonName[..<parenthesis].trimmingCharacters(in: .whitespaces)
    }

    /// "Jean DUPONT".
    public var fullName: String { firstNames.isEmpty ? lastName : "\(firstNames) \(lastName)" }
}
