import Foundation
import Generated
import Security

/// What getActorQualities says about the eID holder (cookbook 4.3.4 steps 1-2): whether they may
/// request a certificate for themself (at least one health-care quality), and which
/// organizations they may manage certificates for. The question to ask before `create`.
public struct ActorQualities: Sendable, Equatable, Codable {
    public struct Organization: Sendable, Equatable, Codable {
        /// `CBE`, `NIHII-HOSPITAL`, …: what `create --org-type` takes.
        public let type: String
        public let identifier: String
        /// The organization's name by language (`fr`, `nl`, `en`, `de`), as the platform gives it.
        public let names: [String: String]

        /// The name in the first of `languages` the platform gave, else any.
        public func name(preferring languages: [String] = ["en", "fr", "nl", "de"]) -> String {
            languages.lazy.compactMap { names[$0] }.first ?? names.sorted { $0.key < $1.key }.first?.value ?? ""
        }
    }

    /// The eID holder the request was signed by.
    public let ssin: String
    public let holderName: String
    /// NaturalPersonAuthorization: true when the person has at least one health-care quality.
    public let naturalPersonAuthorization: Bool
    /// OrganizationAuthorization, in the platform's order.
    public let organizations: [Organization]

    /// Signs getActorQualities with the eID's Authentication key and asks the platform.
    public static func read(eID: any EIDKeySource, endpoints: ServiceEndpoints, settings: FlowSettings = FlowSettings(),
                            progress: @escaping FlowProgress = { _ in }) async throws -> ActorQualities {
        let client = try PlatformClient(endpoints: settings.endpoints ?? endpoints, connection: settings.connection, retry: settings.retry,
                                        sleeper: settings.sleeper, progress: progress)
        let key: any SigningKey
        do { key = try await eID.authenticationKey() } catch { throw CertManagerError(error) }
        let holder = try EIDHolder(certificate: key.certificate)
        // The SSIN in the request must be the signer's (cookbook 4.3.4.1).
        let request = try await client.sign(
            GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: holder.ssin), signature: .placeholder),
            with: key)
        let response = try await client.call(.getActorQualities) { try await client.certRA.getActorQualities(request) }
        return ActorQualities(
            ssin: holder.ssin, holderName: holder.fullName,
            naturalPersonAuthorization: response.naturalPersonAuthorization ?? false,
            organizations: response.organizationAuthorization.map { organization in
                var names: [String: String] = [:]
                for localized in organization.name.value where names[localized.language.xmlText] == nil {
                    names[localized.language.xmlText] = localized.value
                }
                return Organization(type: organization.identifier.type, identifier: organization.identifier.value, names: names)
            })
    }
}
