import Foundation
import Generated
import SOAPRuntime
import X509

/// getActorQualities, getGenericOrganizationTypes, getExistingApplicationIds.
extension SandboxEngine {
    static func text(french: String, dutch: String) -> TextType {
        TextType(value: [LocalizedString(language: try! Lang(xmlText: "fr"), value: french),
                         LocalizedString(language: try! Lang(xmlText: "nl"), value: dutch)])
    }

    func getActorQualities(_ request: GetActorQualitiesRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetActorQualitiesResponseType {
        guard let signerSSIN = signer?.ssin, signerSSIN == request.ssin.value else {
            throw EHealthFailure("SIGNER_IS_NOT_THE_ACTOR", "the SSIN in the request (\(request.ssin.value)) must be the signer's own (\(signer?.ssin ?? "none")): sign with the eID of that person")
        }
        let citizen = world.citizen(ssin: signerSSIN)
        let organizations = (citizen?.organizations ?? []).compactMap { key -> OrganizationType? in
            let parts = key.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let organization = world.organization(type: parts[0], id: parts[1]) else { return nil }
            return OrganizationType(name: Self.text(french: organization.nameFrench, dutch: organization.nameDutch),
                                    identifier: IdType(type: organization.type, value: organization.id))
        }
        return GetActorQualitiesResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                             status: EHealthFailure.success, naturalPersonAuthorization: citizen?.hasQualities ?? false,
                                             organizationAuthorization: organizations)
    }

    /// The organization types the sandbox accepts, with the validation rules clients should apply.
    static let organizationTypes: [OrganizationIdentifierType] = [
        OrganizationIdentifierType(name: text(french: "Entreprise (numéro BCE)", dutch: "Onderneming (KBO-nummer)"),
                                   identifierType: "CBE", validationRegEx: "[0-9]{10}", checkDigitAlgorithm: ["MOD97"],
                                   availableBaseService: ["ehbox", "recipe", "mycarenet"]),
        OrganizationIdentifierType(name: text(french: "Hôpital (numéro INAMI)", dutch: "Ziekenhuis (RIZIV-nummer)"),
                                   identifierType: "NIHII-HOSPITAL", validationRegEx: "71[0-9]{6}", checkDigitAlgorithm: [],
                                   availableBaseService: ["ehbox", "mycarenet"]),
        OrganizationIdentifierType(name: text(french: "Pharmacie (numéro INAMI)", dutch: "Apotheek (RIZIV-nummer)"),
                                   identifierType: "NIHII-PHARMACY", validationRegEx: "[0-9]{8}", checkDigitAlgorithm: [],
                                   availableBaseService: ["recipe"]),
    ]

    func getGenericOrganizationTypes(_ request: GetGenericOrganizationTypesRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetGenericOrganizationTypesResponseType {
        GetGenericOrganizationTypesResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                status: EHealthFailure.success, organizationType: Self.organizationTypes)
    }

    func getExistingApplicationIds(_ request: GetExistingApplicationIdsRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GetExistingApplicationIdsResponseType {
        let identifier = request.organizationIdentifier
        let now = self.now
        // "all currently active certificates" (XSD): an expired certificate's id is free again.
        let isActive: @Sendable (StoredCertificate) -> Bool = { stored in
            guard stored.status == .validActive else { return stored.status == .inProgress }
            guard let der = stored.certificate, let certificate = try? Certificate(derEncoded: Array(der)) else { return true }
            return now <= certificate.notValidAfter
        }
        let ids = try await store.transaction { state in
            try state.certificates(identifierType: identifier.type, identifierValue: identifier.value).filter(isActive).map(\.applicationID)
        }
        var unique: [String?] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        return GetExistingApplicationIdsResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                     applicationId: unique)
    }
}
