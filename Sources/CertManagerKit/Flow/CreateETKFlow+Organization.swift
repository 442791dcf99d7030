import Foundation
import Generated

/// Cookbook 4.3.4 steps 3-4, for an organization: its identifier checked against the platform's
/// rule, and the application id checked to be free.
extension CreateETKFlow {
    // MARK: - Step 3: organization types

    func stepOrganizationTypes(_ context: RunContext) async throws {
        guard let organization = journal.organization else {
            context.progress(.stepSkipped(Step.getGenericOrganizationTypes, reason: "not needed for a natural person"))
            return
        }
        if let rule = journal.organizationRule {
            context.progress(.stepAlreadyDone(Step.getGenericOrganizationTypes, detail: "\(rule.identifierType): \(rule.name())"))
            return
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.getGenericOrganizationTypes))
        let client = context.client
        let response = try await client.call(.getGenericOrganizationTypes) {
            try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        let rules = response.organizationType.map(OrganizationIdentifierRule.init)
        guard let rule = rules.first(where: { $0.identifierType == organization.type }) else {
            throw CertManagerError(.organizationTypeUnknown, .invalidInput,
                                   reason: "the platform knows no organization type \(organization.type)",
                                   advice: "Use one of: " + rules.map(\.identifierType).joined(separator: ", ") + ".")
        }
        // The client checks the identifier before sending it anywhere (cookbook 4.3.4.2).
        try rule.validate(organization.identifier)
        try record { $0.organizationRule = rule }
        var detail = "\(rule.identifierType) (\(rule.name())): \(organization.identifier) is valid"
        if let regex = rule.validationRegEx { detail += " for \(regex)" }
        if !rule.checkDigitAlgorithms.isEmpty { detail += " and \(rule.checkDigitAlgorithms.joined(separator: ", "))" }
        context.progress(.stepFinished(Step.getGenericOrganizationTypes, detail: detail))
    }

    // MARK: - Step 4: application ids

    func stepExistingApplicationIDs(_ context: RunContext) async throws {
        guard let organization = journal.organization else {
            context.progress(.stepSkipped(Step.getExistingApplicationIds, reason: "not needed for a natural person"))
            return
        }
        guard let applicationID = organization.applicationID else {
            context.progress(.stepSkipped(Step.getExistingApplicationIds, reason: "no application id requested"))
            return
        }
        if journal.request.replacing != nil {
            // A renewal keeps the replaced certificate's application id (cookbook 4.3.5: the same DN).
            context.progress(.stepSkipped(Step.getExistingApplicationIds, reason: "a renewal keeps the application id \(applicationID)"))
            return
        }
        if let existing = journal.existingApplicationIDs {
            context.progress(.stepAlreadyDone(Step.getExistingApplicationIds, detail: "\(applicationID) is free (in use: \(existing.isEmpty ? "none" : existing.joined(separator: ", ")))"))
            return
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.getExistingApplicationIds))
        let client = context.client
        let response = try await client.call(.getExistingApplicationIds) {
            try await client.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: IdType(type: organization.type, value: organization.identifier)))
        }
        let existing = response.applicationId.compactMap { $0 }
        guard !existing.contains(applicationID) else {
            throw CertManagerError(.applicationIDInUse, .invalidInput,
                                   reason: "\(organization.type)=\(organization.identifier) already has a certificate with the application id \(applicationID)",
                                   advice: "Choose another application id (in use: \(existing.joined(separator: ", "))).")
        }
        try record { $0.existingApplicationIDs = existing }
        context.progress(.stepFinished(Step.getExistingApplicationIds, detail: "\(applicationID) is free (in use: \(existing.isEmpty ? "none" : existing.joined(separator: ", ")))"))
    }
}
