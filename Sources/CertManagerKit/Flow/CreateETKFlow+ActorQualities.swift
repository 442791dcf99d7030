import Foundation
import Generated
import Logging
import Security

/// Cookbook 4.3.4 steps 1-2: getActorQualities signed with the eID, and whether the signer may
/// request the certificate asked for.
extension CreateETKFlow {
    func stepsActorQualities(_ context: RunContext) async throws {
        let progress = context.progress
        if let qualities = journal.actorQualities, let signer = journal.signer {
            progress(.stepAlreadyDone(Step.signActorQualities, detail: "signed by \(signer.fullName)"))
            progress(.stepAlreadyDone(Step.getActorQualities, detail: describe(qualities)))
            return
        }
        try Task.checkCancellation()
        progress(.stepStarted(Step.signActorQualities))
        let key = try await context.eID.authenticationKey()
        let signer = try EIDHolder(certificate: key.certificate)
        // The SSIN in the request must be the signer's (protocol-facts; cookbook 4.3.4.1).
        let request = try await context.client.sign(
            GetActorQualitiesRequestType(issueInstant: .now, ssin: IdType(type: "SSIN", value: signer.ssin), signature: .placeholder),
            with: key)
        progress(.stepFinished(Step.signActorQualities, detail: "signed by \(signer.fullName) (SSIN \(signer.ssin))"))

        progress(.stepStarted(Step.getActorQualities))
        let client = context.client
        let response = try await client.call(.getActorQualities) { try await client.certRA.getActorQualities(request) }
        var organizations: [String: String] = [:]
        for organization in response.organizationAuthorization {
            organizations["\(organization.identifier.type)=\(organization.identifier.value)"] = organization.name.value.first?.value ?? ""
        }
        let qualities = ActorQualitiesRecord(naturalPersonAuthorization: response.naturalPersonAuthorization ?? false,
                                             organizations: organizations)
        // An unauthorised person is not recorded: after contacting the eHealth contact centre, a
        // resume asks again.
        try checkAuthorization(qualities, signer: signer, progress: progress)
        try record {
            $0.signer = signer
            $0.actorQualities = qualities
            $0.keystoreFileName = $0.keystoreFileName ?? $0.proposedKeystoreFileName()
        }
        logger.debug("actor qualities", metadata: ["signer": "\(PersonalData.masked(ssin: signer.ssin))"])
        progress(.stepFinished(Step.getActorQualities, detail: describe(qualities)))
    }

    func describe(_ qualities: ActorQualitiesRecord) -> String {
        var parts = [qualities.naturalPersonAuthorization ? "may request a personal certificate" : "no health-care quality"]
        if !qualities.organizations.isEmpty {
            parts.append("manages " + qualities.organizations.keys.sorted().joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }

    func checkAuthorization(_ qualities: ActorQualitiesRecord, signer: EIDHolder, progress: FlowProgress) throws {
        switch journal.request.owner {
        case .naturalPerson:
            guard qualities.naturalPersonAuthorization else {
                throw CertManagerError(.notAuthorized, .refused,
                                       reason: "getActorQualities found no health-care quality for \(signer.fullName): a personal eHealth certificate cannot be requested",
                                       advice: "Personal certificates are validated automatically from the professional's qualities; contact the eHealth contact centre to check them, then `resume`.",
                                       operation: PlatformOperation.getActorQualities.qualifiedName)
            }
        case .organization(let organization):
            let key = "\(organization.type)=\(organization.identifier)"
            if qualities.organizations[key] == nil {
                guard organization.name != nil else {
                    throw CertManagerError(.notAuthorized, .invalidInput,
                                           reason: "\(signer.fullName) is not authorised for \(key) at the platform, so its name is not known",
                                           advice: "Give the organization's name: the request then goes to manual validation by the eHealth platform (cookbook 4.3.4 step 3).")
                }
                progress(.notice("\(signer.fullName) is not authorised for \(key): the request will need manual validation by the eHealth platform, which can take days"))
            }
        case .foreigner:
            break
        }
    }
}
