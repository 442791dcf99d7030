import Foundation
import Generated
import Security

/// Cookbook 4.3.4 step 5: the contract, presented to the person and accepted before anything is
/// signed, and checked to name the owner asked for.
extension CreateETKFlow {
    func stepContract(_ context: RunContext, reviewContract: ContractReviewer) async throws {
        guard let signer = journal.signer else { throw inconsistent("no signer after step 2") }
        if journal.contract != nil, journal.contractAcceptedAt != nil {
            context.progress(.stepAlreadyDone(Step.generateContract, detail: "contract for \(journal.contract!.distinguishedName) accepted"))
            return
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.generateContract))
        let contract: ContractRecord
        if let recorded = journal.contract {
            contract = recorded
        } else {
            let request = GenerateContractRequestType(
                issueInstant: .now, contactData: contactData,
                signer: ActorType(id: [IdType(type: "SSIN", value: signer.ssin)], firstName: signer.firstNames.isEmpty ? [] : [signer.firstNames], name: signer.lastName),
                certificateIdentifier: CertificateIdentifierType(actor: try ownerActor(signer: signer), applicationId: journal.organization?.applicationID))
            let client = context.client
            let response = try await client.call(.generateContract) { try await client.certRA.generateContract(request) }
            guard let returned = response.contract else {
                throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "generateContract answered Success without a contract",
                                       advice: "Try again later (`resume`); report it if it persists.", operation: PlatformOperation.generateContract.qualifiedName)
            }
            contract = ContractRecord(returned)
            try checkContractDN(contract.distinguishedName)
            try record { $0.contract = contract }
        }
        context.progress(.waitingForUser("read the contract for \(contract.distinguishedName) and accept or decline it"))
        let decision = try await reviewContract(contract.offer)
        guard decision == .accept else {
            throw CertManagerError(.contractDeclined, .cancelled, reason: "the contract was declined; nothing was signed",
                                   advice: "`resume` shows the contract again if you change your mind.")
        }
        try record { $0.contractAcceptedAt = Date() }
        context.progress(.stepFinished(Step.generateContract, detail: "contract for \(contract.distinguishedName) accepted"))
    }

    var contactData: ContactDataType {
        let contact = journal.request.contact
        return ContactDataType(emailPrivate: contact.email, emailGeneral: contact.generalEmail,
                               phonePrivate: contact.phone, phoneGeneral: contact.generalPhone)
    }

    func ownerActor(signer: EIDHolder) throws -> ActorType {
        switch journal.request.owner {
        case .naturalPerson:
            return ActorType(id: [IdType(type: "SSIN", value: signer.ssin)], firstName: signer.firstNames.isEmpty ? [] : [signer.firstNames], name: signer.lastName)
        case .organization(let organization):
            let key = "\(organization.type)=\(organization.identifier)"
            guard let name = organization.name ?? journal.actorQualities?.organizations[key], !name.isEmpty else {
                throw CertManagerError(.notAuthorized, .invalidInput, reason: "the name of \(key) is not known",
                                       advice: "Give the organization's name.")
            }
            return ActorType(id: [IdType(type: organization.type, value: organization.identifier)], name: name)
        case .foreigner(let foreigner):
            return ActorType(id: [IdType(type: "SSIN", value: foreigner.bis)], firstName: foreigner.firstNames, name: foreigner.lastName)
        }
    }

    /// The contract's DN must name the owner asked for: it becomes the certificate's subject.
    func checkContractDN(_ text: String) throws {
        let name: EHealthDistinguishedName
        do {
            name = try EHealthDistinguishedName(text)
        } catch {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the contract's DN \"\(text)\" is not an eHealth DN: \(CertManagerError(error).reason)",
                                   advice: "Report it to the eHealth service desk.", operation: PlatformOperation.generateContract.qualifiedName)
        }
        let expectedIdentifier: String
        let expectedApplicationID: String?
        switch journal.request.owner {
        case .naturalPerson:
            expectedIdentifier = "SSIN=\(journal.signer?.ssin ?? "")"
            expectedApplicationID = nil
        case .organization(let organization):
            expectedIdentifier = "\(organization.type)=\(organization.identifier)"
            expectedApplicationID = organization.applicationID
        case .foreigner(let foreigner):
            expectedIdentifier = "SSIN=\(foreigner.bis)"
            expectedApplicationID = nil
        }
        guard name.identifier.description == expectedIdentifier, name.applicationID?.rawValue == expectedApplicationID else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation,
                                   reason: "the contract is for \(name.commonName), but \(expectedIdentifier)\(expectedApplicationID.map { ", " + $0 } ?? "") was asked for",
                                   advice: "Nothing was signed. Report it to the eHealth service desk.", operation: PlatformOperation.generateContract.qualifiedName)
        }
        // A renewal needs exactly the replaced certificate's DN (cookbook 4.3.5).
        if let replacing = journal.request.replacing, (try? EHealthDistinguishedName(replacing.distinguishedName)) != name {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation,
                                   reason: "the contract is for \(text), but the certificate being renewed is \(replacing.distinguishedName)",
                                   advice: "Nothing was signed. A renewal needs exactly the same DN; report it to the eHealth service desk.",
                                   operation: PlatformOperation.generateContract.qualifiedName)
        }
    }
}
