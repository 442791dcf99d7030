import Foundation
import Generated

/// What the platform says about organizations before a request: the organization types it knows,
/// with the rules their identifiers follow (getGenericOrganizationTypes), and the application ids
/// an organization already uses (getExistingApplicationIds). Both operations are unsigned
/// (protocol-facts, "Operations"): no eID or keystore is needed.
public struct OrganizationDirectory: Sendable {
    public let endpoints: ServiceEndpoints
    public let settings: FlowSettings

    public init(endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings()) {
        self.endpoints = endpoints
        self.settings = settings
    }

    /// The application ids an organization's active certificates carry.
    public struct ApplicationIDs: Sendable, Equatable {
        /// The organization type and identifier asked about.
        public let organizationType: String
        public let organizationIdentifier: String
        /// The ids in use, in the platform's order.
        public let inUse: [String]
        /// Whether the organization also has an active certificate without an application id.
        public let hasCertificateWithoutApplicationID: Bool
    }

    /// Every organization type the platform accepts (cookbook 4.3.4 step 3).
    public func organizationTypes(progress: @escaping FlowProgress = { _ in }) async throws -> [OrganizationIdentifierRule] {
        let client = try makeClient(progress)
        let response = try await client.call(.getGenericOrganizationTypes) {
            try await client.certRA.getGenericOrganizationTypes(GetGenericOrganizationTypesRequestType(issueInstant: .now))
        }
        return response.organizationType.map(OrganizationIdentifierRule.init)
    }

    /// The application ids in use for an organization (cookbook 4.3.4 step 4). The type must be
    /// one the platform knows and the identifier must pass its rules: the client checks before
    /// sending (cookbook 4.3.4.2), so a typing error is caught here, not by the platform.
    public func existingApplicationIDs(organizationType: String, identifier: String,
                                       progress: @escaping FlowProgress = { _ in }) async throws -> ApplicationIDs {
        let rules = try await organizationTypes(progress: progress)
        guard let rule = rules.first(where: { $0.identifierType == organizationType }) else {
            throw CertManagerError(.organizationTypeUnknown, .invalidInput,
                                   reason: "the platform knows no organization type \(organizationType)",
                                   advice: "Use one of: " + rules.map(\.identifierType).joined(separator: ", ") + " (`ehcert org-types` lists them).")
        }
        try rule.validate(identifier)
        let client = try makeClient(progress)
        let response = try await client.call(.getExistingApplicationIds) {
            try await client.certRA.getExistingApplicationIds(GetExistingApplicationIdsRequestType(
                issueInstant: .now, organizationIdentifier: IdType(type: organizationType, value: identifier)))
        }
        return ApplicationIDs(organizationType: organizationType, organizationIdentifier: identifier,
                              inUse: response.applicationId.compactMap { $0 },
                              hasCertificateWithoutApplicationID: response.applicationId.contains { $0 == nil })
    }

    private func makeClient(_ progress: @escaping FlowProgress) throws -> PlatformClient {
        try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: settings.connection, retry: settings.retry,
                           sleeper: settings.sleeper, progress: progress)
    }
}
