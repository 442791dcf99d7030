import Foundation

/// The contract's DN as generateCertificate carries it back.
///
/// The cookbook says to copy the contract as-is (4.3.4.5), but its own example DN leaves the `=`
/// of the identifier bare (`CN=SSIN=85210123617,…`) while certificates and the platform's Java
/// connector write it escaped. The connector, which the platform accepts every day, rewrites
/// `<TYPE>=` as `<TYPE>\=` before sending the contract back, for the identifier type of the
/// certificate requested and only where it is not escaped already; we do exactly the same, so
/// that whichever form generateContract answers, the platform gets what its own connector sends.
enum ContractDistinguishedName {
    /// `dn` with every bare `<identifierType>=` escaped. An escaped one reads `<TYPE>\=`, which
    /// does not contain `<TYPE>=`, so it is left as it is.
    static func normalized(_ dn: String, identifierType: String) -> String {
        guard !identifierType.isEmpty else { return dn }
        return dn.replacingOccurrences(of: identifierType + "=", with: identifierType + "\\=")
    }
}

extension CreateETKJournal {
    /// The identifier type of the certificate requested, as the connector takes it from the
    /// generateContract request's actor: `SSIN` for a person, the organization's type otherwise.
    var contractIdentifierType: String {
        switch request.owner {
        case .naturalPerson, .foreigner: "SSIN"
        case .organization(let organization): organization.type
        }
    }
}
