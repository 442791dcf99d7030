import _CryptoExtras
import Foundation
import Generated
import Logging
import Security
import SOAPRuntime
import SwiftASN1
import X509

/// Creates a new ETK, cookbook 4.3.4 steps 1 to 13, for a natural person or an organization,
/// crash-safe and resumable.
///
/// ```swift
/// let flow = try CreateETKFlow.start(request, endpoints: ServiceEndpoints(.acceptance), workDirectory: .default)
/// let result = try await flow.run(
///     eID: PKCS11EIDKeySource(pin: .prompt(readPIN)), keystorePassword: password,
///     reviewContract: { offer in show(offer.text()?.plainText); return askYesNo() ? .accept : .decline },
///     progress: { event in print(event) })
/// ```
///
/// Durability: every step's outcome is recorded in the flow's journal before the next request
/// goes out, and every private key is stored (encrypted with the keystore password) before the
/// request that depends on it. A run that stops — crash, network failure, Ctrl-C, or polling
/// that ran out of patience while an operator validates the request — continues with
/// ``open(_:in:)`` and ``run(eID:keystorePassword:settings:reviewContract:progress:)``: steps
/// recorded as done are not repeated, and a repeated request that the platform had already
/// handled is recognised (e.g. CSR_PUB_KEY_NOT_UNIQUE after generateCertificate: continue polling).
public actor CreateETKFlow {
    typealias Step = FlowStep.CreateETK

    public nonisolated let id: FlowID
    public nonisolated let workDirectory: WorkDirectory
    nonisolated let folder: URL
    private var journal: CreateETKJournal
    private let logger: Logger
    /// A foreigner's request was submitted by this run: the person cannot have confirmed it yet.
    private var submittedInThisRun = false

    private init(journal: CreateETKJournal, workDirectory: WorkDirectory) {
        id = journal.flowID
        self.workDirectory = workDirectory
        folder = workDirectory.folder(for: journal.flowID)
        self.journal = journal
        var logger = Logger(label: "be.ehealth.certmanager.create-etk")
        logger[metadataKey: "flow"] = "\(journal.flowID.rawValue)"
        self.logger = logger
    }

    /// Records a new flow in the work directory. Nothing is sent yet.
    public static func start(_ request: CreateETKRequest, endpoints: ServiceEndpoints,
                             workDirectory: WorkDirectory = .default, now: Date = Date()) throws -> CreateETKFlow {
        if case .foreigner(let foreigner) = request.owner {
            // A foreigner is identified by a BIS number (cookbook 4.3.7).
            let valid = (try? SSIN(foreigner.bis))?.isBIS ?? false
            guard valid, !foreigner.lastName.isEmpty else {
                throw CertManagerError(.init("FOREIGNER_INVALID"), .invalidInput,
                                       reason: valid ? "the foreigner's last name is empty" : "\(foreigner.bis) is not a BIS number",
                                       advice: "Give the person's BIS number (11 digits, from the register for non-residents) and names.")
            }
        }
        if case .organization(let organization) = request.owner {
            _ = try Self.checkedIdentifierType(organization.type)
            if let applicationID = organization.applicationID {
                do { _ = try ApplicationID(applicationID) } catch { throw CertManagerError(error).asInvalidInput }
            }
        }
        let journal = CreateETKJournal(flowID: .make(at: now), request: request, endpoints: endpoints, now: now)
        let flow = CreateETKFlow(journal: journal, workDirectory: workDirectory)
        try DurableFile.makePrivateDirectory(flow.folder)
        try journal.save(in: flow.folder)
        return flow
    }

    /// Opens a flow of the work directory to resume it.
    public static func open(_ id: FlowID, in workDirectory: WorkDirectory = .default) throws -> CreateETKFlow {
        CreateETKFlow(journal: try CreateETKJournal.load(from: workDirectory.folder(for: id)), workDirectory: workDirectory)
    }

    /// The next step to do; nil when the flow is finished.
    public var nextStep: FlowStep? { journal.nextStep }
    public var isFinished: Bool { journal.finishedAt != nil }
    /// The endpoints the flow was started with.
    public var endpoints: ServiceEndpoints { journal.endpoints }
    public var request: CreateETKRequest { journal.request }
    /// The keystore the flow writes (known once the eID holder is known, for a person).
    public var keystoreFile: URL { journal.keystoreFile }
    /// A foreigner's flow: the page where the person confirms the request, and until when.
    public var validationURL: URL? { journal.validationURL.flatMap(URL.init(string:)) }
    public var validationExpiresAt: Date? { journal.validationExpiresAt }

    // MARK: - Running

    /// Runs the flow from its next step to the end.
    ///
    /// - Parameters:
    ///   - eID: the eID keys; asked for only by the steps that sign with them (1 and 6).
    ///   - keystorePassword: protects the new keystore and, until then, the flow's pending keys.
    ///     The same password must be given on every `resume`.
    ///   - reviewContract: shows the contract (step 5) and returns the person's decision;
    ///     nothing is signed before it returns `.accept`.
    ///   - progress: receives the numbered steps and polling notices.
    /// - Throws: `CertManagerError`; category `.pending` when the certificate is not delivered yet
    ///   (resume later), `.cancelled` when the task was cancelled or the contract declined.
    public func run(eID: any EIDKeySource, keystorePassword: String, settings: FlowSettings = FlowSettings(),
                    reviewContract: @escaping ContractReviewer, progress: @escaping FlowProgress) async throws -> CreateETKResult {
        do {
            return try await runSteps(eID: eID, keystorePassword: keystorePassword, settings: settings,
                                      reviewContract: reviewContract, progress: progress)
        } catch {
            let mapped = CertManagerError(error)
            logger.debug("flow stopped", metadata: ["code": "\(mapped.code)", "next": "\(journal.nextStep?.number ?? 0)"])
            throw mapped
        }
    }

    private func runSteps(eID: any EIDKeySource, keystorePassword: String, settings: FlowSettings,
                          reviewContract: @escaping ContractReviewer, progress: @escaping FlowProgress) async throws -> CreateETKResult {
        guard !keystorePassword.isEmpty else {
            throw CertManagerError(.init("KEYSTORE_PASSWORD_EMPTY"), .invalidInput, reason: "the keystore password is empty",
                                   advice: "Choose a password: it protects the private keys.")
        }
        submittedInThisRun = false
        if journal.finishedAt != nil {
            replayRecordedSteps(progress)
            return try result()
        }
        var secrets = try FlowSecrets(folder: folder, password: keystorePassword)
        let client = try PlatformClient(endpoints: settings.endpoints ?? journal.endpoints, connection: settings.connection,
                                        retry: settings.retry, sleeper: settings.sleeper, progress: progress)
        let context = RunContext(client: client, eID: eID, settings: settings, progress: progress)

        if journal.foreigner != nil {
            try await stepsForeignerRequest(context, secrets: &secrets)
        } else {
            try await stepsActorQualities(context)
            try await stepOrganizationTypes(context)
            try await stepExistingApplicationIDs(context)
            try await stepContract(context, reviewContract: reviewContract)
            let signedRequest = try await stepCertificateRequest(context, secrets: &secrets)
            try await stepGenerateCertificate(context, signedRequest: signedRequest)
        }
        let authenticationKey = try await stepsCertificateDelivery(context, secrets: secrets, keystorePassword: keystorePassword)
        let encryptionKey = try stepEncryptionKey(context, secrets: &secrets)
        try await stepsETKRegistration(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey,
                                       keystorePassword: keystorePassword)
        return try result()
    }

    struct RunContext {
        let client: PlatformClient
        let eID: any EIDKeySource
        let settings: FlowSettings
        let progress: FlowProgress
    }

    // MARK: - Steps 1-2: actor qualities

    private func stepsActorQualities(_ context: RunContext) async throws {
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

    private func describe(_ qualities: ActorQualitiesRecord) -> String {
        var parts = [qualities.naturalPersonAuthorization ? "may request a personal certificate" : "no health-care quality"]
        if !qualities.organizations.isEmpty {
            parts.append("manages " + qualities.organizations.keys.sorted().joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }

    private func checkAuthorization(_ qualities: ActorQualitiesRecord, signer: EIDHolder, progress: FlowProgress) throws {
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

    // MARK: - Step 3: organization types

    private func stepOrganizationTypes(_ context: RunContext) async throws {
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

    private func stepExistingApplicationIDs(_ context: RunContext) async throws {
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

    // MARK: - Step 5: the contract

    private func stepContract(_ context: RunContext, reviewContract: ContractReviewer) async throws {
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

    private var contactData: ContactDataType {
        let contact = journal.request.contact
        return ContactDataType(emailPrivate: contact.email, emailGeneral: contact.generalEmail,
                               phonePrivate: contact.phone, phoneGeneral: contact.generalPhone)
    }

    private func ownerActor(signer: EIDHolder) throws -> ActorType {
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
    private func checkContractDN(_ text: String) throws {
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

    // MARK: - Step 6: key pair, CSR, signed request

    private func stepCertificateRequest(_ context: RunContext, secrets: inout FlowSecrets) async throws -> GenerateCertificateRequestType? {
        if journal.certificateRequestAcceptedAt != nil {
            context.progress(.stepAlreadyDone(Step.prepareCertificateRequest, detail: "CSR with PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")"))
            return nil
        }
        guard let contract = journal.contract else { throw inconsistent("no contract before step 6") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.prepareCertificateRequest))
        let csr: Data
        if let recorded = journal.csr {
            csr = recorded
        } else {
            // A key stored by a run that stopped before recording its CSR is used again.
            let key = try secrets.authenticationKey ?? {
                let key = try EHealthCertificateSigningRequest.generatePrivateKey()
                try secrets.storeAuthenticationKey(key)
                return key
            }()
            let request: EHealthCertificateSigningRequest
            do {
                // The CSR's subject is exactly the contract's DN (cookbook 4.3.4.5).
                request = try EHealthCertificateSigningRequest(contractDistinguishedName: contract.distinguishedName,
                                                               privateKey: Certificate.PrivateKey(key))
            } catch {
                throw CertManagerError(error)
            }
            csr = Data(request.derEncoded)
            let identifier = try request.publicKeyIdentifier.hex
            try record {
                $0.csr = csr
                $0.publicKeyIdentifier = identifier
            }
        }
        let key = try await context.eID.signatureKey()
        let request = GenerateCertificateRequestType(
            issueInstant: .now,
            eHealthCSR: EHealthCertificateSigningRequestType(contactData: contactData, csr: csr, contract: try contract.contractType(),
                                                             baseServiceUsage: journal.request.baseServiceUsage),
            signature: .placeholder)
        let signed = try await context.client.sign(request, with: key)
        context.progress(.stepFinished(Step.prepareCertificateRequest,
                                       detail: "RSA 2048 key, CSR for \(contract.distinguishedName) (PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")), signed with the eID Signature key"))
        return signed
    }

    // MARK: - Step 7: generateCertificate

    /// Codes by which the platform says it already has this CSR: a request sent by an earlier
    /// run reached it, so the flow continues with polling.
    static let alreadySubmittedCodes: Set<String> = ["CSR_PUB_KEY_NOT_UNIQUE", "CSR_ALREADY_VALIDATED"]

    private func stepGenerateCertificate(_ context: RunContext, signedRequest: GenerateCertificateRequestType?) async throws {
        if journal.certificateRequestAcceptedAt != nil {
            let validation = journal.automaticallyValidated.map { $0 ? "validated automatically" : "manual validation" } ?? "accepted"
            context.progress(.stepAlreadyDone(Step.generateCertificate, detail: "PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?"), \(validation)"))
            return
        }
        guard let signedRequest, let expected = journal.publicKeyIdentifier else { throw inconsistent("no signed request at step 7") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.generateCertificate))
        let sentBefore = journal.certificateRequestSentAt != nil
        try record { $0.certificateRequestSentAt = Date() }
        let client = context.client
        do {
            let response = try await client.call(.generateCertificate) { try await client.certRA.generateCertificate(signedRequest) }
            if let returned = response.publicKeyIdentifier?.value.bytes, Data(returned) != Data(try Security.PublicKeyIdentifier(hex: expected).bytes) {
                throw CertManagerError(.unexpectedAnswer, .protocolViolation,
                                       reason: "generateCertificate answered the PublicKeyIdentifier \(HexBinary(returned).xmlText), not the CSR's \(expected)",
                                       advice: "Report it to the eHealth service desk.", operation: PlatformOperation.generateCertificate.qualifiedName)
            }
            let replaces = response.replacesCertificate.map { HexBinary($0.value.bytes).xmlText }
            try record {
                $0.certificateRequestAcceptedAt = Date()
                $0.automaticallyValidated = response.automaticallyValidated
                $0.replacesCertificate = replaces
            }
            if let replacing = journal.request.replacing, replaces?.uppercased() != replacing.publicKeyIdentifier.uppercased() {
                context.progress(.notice("the platform did not say this request replaces \(replacing.publicKeyIdentifier) (ReplacesCertificate: \(replaces ?? "none"))"))
            }
            var validation = response.automaticallyValidated.map { $0 ? "validated automatically" : "manual validation: an operator must approve it" } ?? "accepted"
            if let replaces { validation += "; replaces the certificate \(replaces)" }
            context.progress(.stepFinished(Step.generateCertificate, detail: "PublicKeyIdentifier \(expected), \(validation)"))
        } catch let error as CertManagerError where sentBefore && Self.alreadySubmittedCodes.contains(error.code.rawValue) {
            // The earlier run's request reached the platform; its answer was lost.
            try record { $0.certificateRequestAcceptedAt = Date() }
            context.progress(.stepFinished(Step.generateCertificate, detail: "already submitted in an earlier run (\(error.code)); PublicKeyIdentifier \(expected)"))
        }
    }

    // MARK: - Steps 6-7 for a foreigner (cookbook 4.3.7)

    /// The key pair and the CSR for the foreigner's DN (the key stored before anything is sent),
    /// then submitCSRForForeigner, unsigned: the person confirms on the validation page instead.
    private func stepsForeignerRequest(_ context: RunContext, secrets: inout FlowSecrets) async throws {
        guard let foreigner = journal.foreigner else { throw inconsistent("not a foreigner's flow") }
        for step in [Step.signActorQualities, Step.getActorQualities, Step.getGenericOrganizationTypes, Step.getExistingApplicationIds, Step.generateContract] {
            context.progress(.stepSkipped(step, reason: "a foreigner has no Belgian eID: the validation page replaces the eID and the contract"))
        }
        if journal.certificateRequestAcceptedAt != nil {
            context.progress(.stepAlreadyDone(FlowStep.Foreigner.prepareCertificateRequest, detail: "CSR with PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")"))
            context.progress(.stepAlreadyDone(FlowStep.Foreigner.submitCSRForForeigner, detail: "validation page \(journal.validationURL ?? "?")"))
            return
        }
        try Task.checkCancellation()
        let prepare = FlowStep.Foreigner.prepareCertificateRequest
        context.progress(.stepStarted(prepare))
        let csr: Data
        if let recorded = journal.csr {
            csr = recorded
        } else {
            let key = try secrets.authenticationKey ?? {
                let key = try EHealthCertificateSigningRequest.generatePrivateKey()
                try secrets.storeAuthenticationKey(key)
                return key
            }()
            let name = ([foreigner.lastName] + foreigner.firstNames).joined(separator: " ")
            let request: EHealthCertificateSigningRequest
            let distinguishedName: EHealthDistinguishedName
            do {
                distinguishedName = try EHealthDistinguishedName.Builder().person(ssin: foreigner.bis).name(name).build()
                request = try EHealthCertificateSigningRequest(subject: distinguishedName, privateKey: key)
            } catch {
                throw CertManagerError(error).asInvalidInput
            }
            csr = Data(request.derEncoded)
            let identifier = try request.publicKeyIdentifier.hex
            try record {
                $0.csr = csr
                $0.publicKeyIdentifier = identifier
                $0.foreignerDistinguishedName = distinguishedName.description
                $0.keystoreFileName = $0.keystoreFileName ?? $0.proposedKeystoreFileName()
            }
        }
        context.progress(.stepFinished(prepare, detail: "RSA 2048 key stored, CSR for \(journal.foreignerDistinguishedName ?? "?") (PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?"))"))

        let submit = FlowStep.Foreigner.submitCSRForForeigner
        try Task.checkCancellation()
        context.progress(.stepStarted(submit))
        let sentBefore = journal.certificateRequestSentAt != nil
        try record { $0.certificateRequestSentAt = Date() }
        let request = SubmitCSRForForeignerRequestType(issueInstant: .now, foreignPerson: try ownerActor(signer: EIDHolder(ssin: foreigner.bis, firstNames: "", lastName: foreigner.lastName)),
                                                       contactData: contactData, csr: csr)
        let client = context.client
        do {
            let response = try await client.call(.submitCSRForForeigner) { try await client.certRA.submitCSRForForeigner(request) }
            guard let url = response.validationUrl else {
                throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "submitCSRForForeigner answered Success without a ValidationUrl",
                                       advice: "Report it to the eHealth service desk.", operation: PlatformOperation.submitCSRForForeigner.qualifiedName)
            }
            submittedInThisRun = true
            try record {
                $0.certificateRequestAcceptedAt = Date()
                $0.automaticallyValidated = false
                $0.validationURL = url
                $0.validationExpiresAt = response.expirationDate?.date
            }
            context.progress(.stepFinished(submit, detail: "validation page \(url)" + (journal.validationExpiresAt.map { ", to confirm before \(Self.day($0))" } ?? "")))
        } catch let error as CertManagerError where sentBefore && Self.alreadySubmittedCodes.contains(error.code.rawValue) {
            // The earlier submission reached the platform but its answer, and so the link, was lost.
            throw CertManagerError(error.code, .refused,
                                   reason: "this CSR was submitted by an earlier run whose answer, with the validation link, was lost",
                                   advice: "Start a new foreigner request (a new key and CSR); the platform's e-mail may also carry the link.",
                                   operation: PlatformOperation.submitCSRForForeigner.qualifiedName)
        }
    }

    // MARK: - Steps 8-9: validation and delivery

    private func stepsCertificateDelivery(_ context: RunContext, secrets: FlowSecrets, keystorePassword: String) async throws -> SoftwareSigningKey {
        guard let privateKey = try secrets.authenticationKey else { throw inconsistent("the pending authentication key is missing from secrets.p12") }
        if let chainData = journal.certificateChain {
            let chain = try chainData.map { try Certificate(derEncoded: Array($0)) }
            context.progress(.stepAlreadyDone(Step.awaitValidation, detail: "validated"))
            context.progress(.stepAlreadyDone(Step.getCertificate, detail: "certificate \(chain[0].subject) delivered"))
            // The keystore is written before the chain is recorded; writing it again is harmless.
            try writeAuthenticationKeystore(privateKey: privateKey, chain: chain, password: keystorePassword)
            return try signingKey(privateKey, chain: chain)
        }
        guard let identifierHex = journal.publicKeyIdentifier, let distinguishedName = journal.distinguishedName else { throw inconsistent("no CSR before step 9") }

        let manual = journal.automaticallyValidated == false
        if let validationURL = journal.validationURL {
            context.progress(.stepStarted(FlowStep.Foreigner.awaitConfirmation))
            context.progress(.stepFinished(FlowStep.Foreigner.awaitConfirmation,
                                           detail: "the person confirms on \(validationURL)" + (journal.validationExpiresAt.map { " before \(Self.day($0))" } ?? "")))
        } else {
            context.progress(.stepStarted(Step.awaitValidation))
            context.progress(.stepFinished(Step.awaitValidation, detail: manual
                ? "manual validation: the eHealth platform e-mails \(journal.request.contact.email) when the certificate is ready"
                : "validated automatically; the certificate is being issued"))
        }

        context.progress(.stepStarted(Step.getCertificate))
        let identifier = try Generated.PublicKeyIdentifier(HexBinary(Data(try Security.PublicKeyIdentifier(hex: identifierHex).bytes)))
        let client = context.client
        let polling = context.settings.polling
        let sleeper = context.settings.sleeper
        let started = sleeper.now
        var attempt = 1
        let response: GetCertificateResponseType
        while true {
            do {
                response = try await client.call(.getCertificate) {
                    try await client.certRA.getCertificate(GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: identifier))
                }
                break
            } catch let error as CertManagerError where error.code.rawValue == EHealthStatusError.notYetDeliveredCode {
                let delay = polling.backoff.delay(afterAttempt: attempt)
                let waited = sleeper.now.timeIntervalSince(started)
                // A foreigner's flow resumed after the submission polls: the person confirms within
                // minutes, unlike an operator's validation.
                let foreignerMayHaveConfirmed = journal.validationURL != nil && !submittedInThisRun
                let mayWait = !manual || polling.pollsDuringManualValidation || foreignerMayHaveConfirmed
                if !mayWait || polling.maximumWait.map({ waited + delay.seconds > $0.seconds }) == true {
                    throw CertManagerError(error.code, .pending,
                                           reason: "the certificate is not delivered yet (\(attempt) attempt\(attempt == 1 ? "" : "s"))",
                                           advice: journal.validationURL.map { url in
                                               "The person must open \(url)" + (journal.validationExpiresAt.map { " before \(Self.day($0))" } ?? "")
                                                   + ", sign in with the eHealth IDP and confirm; then run `resume`."
                                           } ?? (manual
                                               ? "An operator must validate the request first; run `resume` after the platform's e-mail to \(journal.request.contact.email)."
                                               : "Run `resume` later; nothing needs to be done again."),
                                           operation: error.operation)
                }
                context.progress(.certificateNotYetDelivered(attempt: attempt, nextAttempt: sleeper.now.addingTimeInterval(delay.seconds)))
                do { try await sleeper.sleep(for: delay) } catch { throw CertManagerError(error, operation: PlatformOperation.getCertificate.qualifiedName) }
                attempt += 1
            }
        }

        let chain = try deliveredChain(response.x509Certificate, privateKey: privateKey, contractDN: distinguishedName)
        try writeAuthenticationKeystore(privateKey: privateKey, chain: chain, password: keystorePassword)
        try record { $0.certificateChain = try chain.map { Data(try $0.derBytes()) } }
        context.progress(.stepFinished(Step.getCertificate, detail: "certificate serial \(Keystore.alias(forSerialNumber: chain[0].serialNumber)), valid until \(Self.day(chain[0].notValidAfter)); keystore \(journal.keystoreFile.path) with `authentication`"))
        return try signingKey(privateKey, chain: chain)
    }

    /// The delivered certificates ordered leaf first, checked to be for our key and the contract's DN.
    private func deliveredChain(_ certificates: [Data], privateKey: _RSA.Signing.PrivateKey, contractDN: String) throws -> [Certificate] {
        let operation = PlatformOperation.getCertificate.qualifiedName
        let parsed: [Certificate]
        do {
            parsed = try certificates.map { try Certificate(derEncoded: Array($0)) }
        } catch {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "getCertificate returned a certificate that cannot be read: \(error)",
                                   advice: "Try again later (`resume`).", operation: operation)
        }
        let ourKey = Certificate.PublicKey(privateKey.publicKey)
        guard let leaf = parsed.first(where: { $0.publicKey == ourKey }) else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "getCertificate returned no certificate for this flow's key",
                                   advice: "Report it to the eHealth service desk.", operation: operation)
        }
        guard let subject = try? EHealthDistinguishedName(leaf.subject), let expected = try? EHealthDistinguishedName(contractDN), subject == expected else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the delivered certificate is for \(leaf.subject), not the contract's \(contractDN)",
                                   advice: "Report it to the eHealth service desk.", operation: operation)
        }
        var chain = [leaf]
        var remaining = parsed.filter { $0 != leaf }
        while let current = chain.last, current.subject != current.issuer,
              let index = remaining.firstIndex(where: { $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current) }) {
            chain.append(remaining.remove(at: index))
        }
        return chain
    }

    /// Step 9's keystore: `authentication` with its chain (cookbook 4.3.4 step 9, 4.1).
    private func writeAuthenticationKeystore(privateKey: _RSA.Signing.PrivateKey, chain: [Certificate], password: String) throws {
        let file = journal.keystoreFile
        try DurableFile.makePrivateDirectory(file.deletingLastPathComponent())
        do {
            var keystore = Keystore()
            if FileManager.default.fileExists(atPath: file.path) {
                // Only this flow's own keystore (from a run that stopped after writing it) is replaced.
                let existing = try Keystore(contentsOf: file, password: password)
                guard existing[Keystore.authenticationAlias]?.certificate?.publicKey == chain[0].publicKey else {
                    throw CertManagerError(.keystoreExistsCode, .local, reason: "\(file.path) already exists and is not this flow's keystore",
                                           advice: "Move that file away, then `resume`.")
                }
                keystore = existing
            }
            try keystore.setAuthenticationKey(KeystorePrivateKey(.rsa(privateKey)), certificateChain: chain)
            try keystore.write(to: file, password: password, overwrite: true)
        } catch {
            throw CertManagerError(error)
        }
    }

    private func signingKey(_ privateKey: _RSA.Signing.PrivateKey, chain: [Certificate]) throws -> SoftwareSigningKey {
        var belowRoot = chain
        while belowRoot.count > 1, let last = belowRoot.last, last.subject == last.issuer { belowRoot.removeLast() }
        do { return try SoftwareSigningKey(key: .rsa(privateKey), certificateChain: belowRoot) } catch { throw CertManagerError(error) }
    }

    // MARK: - Step 10: encryption key

    private func stepEncryptionKey(_ context: RunContext, secrets: inout FlowSecrets) throws -> _RSA.Encryption.PrivateKey {
        if journal.encryptionPublicKey != nil, let key = try secrets.encryptionKey {
            context.progress(.stepAlreadyDone(Step.prepareETKRegistration, detail: "RSA 2048 encryption key"))
            return key
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.prepareETKRegistration))
        let key = try secrets.encryptionKey ?? {
            let key = try EncryptionCertificate.generatePrivateKey()
            try secrets.storeEncryptionKey(key)
            return key
        }()
        try record { $0.encryptionPublicKey = key.publicKey.derRepresentation }
        context.progress(.stepFinished(Step.prepareETKRegistration, detail: "RSA 2048 encryption key, stored before registering it"))
        return key
    }

    // MARK: - Steps 11-13: the ETK registration

    /// Steps 11 to 13, and the recovery when a completeETKRegistration sent by an earlier run may
    /// have been handled without its answer arriving: the platform then says the encryption key
    /// is no longer pending (PUBLIC_KEY_NOT_YET_REGISTERED) or the ETK exists
    /// (VALID_ETK_ALREADY_EXISTS). A new startETKRegistration tells which: a new challenge (the
    /// registration is done again with the same encryption key), or VALID_ETK_ALREADY_EXISTS (it
    /// was registered; only the copy of the ETK is lost).
    private func stepsETKRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                      encryptionKey: _RSA.Encryption.PrivateKey, keystorePassword: String) async throws {
        for round in 1...2 {
            let registered = try await stepStartRegistration(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            if registered { break }
            try await stepEncryptionCertificate(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            let outcome = try await stepCompleteRegistration(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            if outcome != .startAgain { break }
            guard round == 1 else {
                throw CertManagerError(.unexpectedAnswer, .refused, reason: "the ETK registration was started again and still did not complete",
                                       advice: "Contact the eHealth service desk.", operation: PlatformOperation.completeETKRegistration.qualifiedName)
            }
        }
        try finishKeystore(context, encryptionKey: encryptionKey, keystorePassword: keystorePassword)
    }

    /// Returns true when the platform says the ETK was registered by an earlier run.
    private func stepStartRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                       encryptionKey: _RSA.Encryption.PrivateKey) async throws -> Bool {
        if journal.etk != nil || journal.etkRegisteredWithoutCopy {
            context.progress(.stepAlreadyDone(Step.startETKRegistration, detail: "challenge received"))
            return false
        }
        if journal.challenge != nil {
            context.progress(.stepAlreadyDone(Step.startETKRegistration, detail: "challenge received"))
            return false
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.startETKRegistration))
        let request = try await context.client.sign(
            StartETKRegistrationRequestType(issueInstant: .now, publicEncryptionKey: encryptionKey.publicKey.derRepresentation, signature: .placeholder),
            with: authenticationKey)
        let client = context.client
        let response: StartETKRegistrationResponseType
        do {
            response = try await client.call(.startETKRegistration) { try await client.etkRA.startETKRegistration(request) }
        } catch let error as CertManagerError where error.code.rawValue == "VALID_ETK_ALREADY_EXISTS" && journal.completionSentAt != nil {
            try recordRegisteredWithoutCopy(context)
            context.progress(.stepFinished(Step.startETKRegistration, detail: "the ETK was registered by an earlier run"))
            return true
        }
        guard let challenge = response.challenge else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "startETKRegistration answered Success without a challenge",
                                   advice: "Try again (`resume`).", operation: PlatformOperation.startETKRegistration.qualifiedName)
        }
        try record {
            $0.challenge = challenge
            // A new challenge means a new serial number: the encryption certificate is made again.
            $0.encryptionCertificate = nil
            $0.completionSentAt = nil
        }
        context.progress(.stepFinished(Step.startETKRegistration, detail: "challenge of \(challenge.count) bytes received"))
        return false
    }

    // MARK: Step 12: encryption certificate

    private func stepEncryptionCertificate(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                           encryptionKey: _RSA.Encryption.PrivateKey) async throws {
        if let recorded = journal.encryptionCertificate {
            let certificate = try EncryptionCertificate(derEncoded: recorded)
            context.progress(.stepAlreadyDone(Step.createEncryptionCertificate, detail: "serial number \(certificate.keystoreAlias)"))
            return
        }
        guard let challengeBytes = journal.challenge else { throw inconsistent("no challenge at step 12") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.createEncryptionCertificate))
        let challenge: Challenge
        do {
            challenge = try Challenge(challengeBytes, encryptionKey: encryptionKey)
        } catch {
            // A challenge that does not verify is rejected; the next run asks for a new one.
            try record { $0.challenge = nil }
            throw CertManagerError(error, operation: PlatformOperation.startETKRegistration.qualifiedName)
        }
        let certificate: EncryptionCertificate
        do {
            let publicKey = Certificate.PublicKey(try _RSA.Signing.PublicKey(derRepresentation: encryptionKey.publicKey.derRepresentation))
            certificate = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: publicKey,
                                                          authenticationKey: authenticationKey)
        } catch {
            throw CertManagerError(error)
        }
        try record { $0.encryptionCertificate = Data(certificate.derEncoded) }
        context.progress(.stepFinished(Step.createEncryptionCertificate, detail: "serial number \(certificate.keystoreAlias) from the challenge, signed with the eHealth authentication key"))
    }

    // MARK: Step 13: completeETKRegistration

    enum CompletionOutcome: Equatable {
        case registered
        /// An earlier run's completion may have been handled: start the registration again.
        case startAgain
    }

    /// Codes by which completeETKRegistration, repeated, says the pending registration is gone.
    static let registrationGoneCodes: Set<String> = ["PUBLIC_KEY_NOT_YET_REGISTERED", "AUTH_CERT_NOT_FOUND"]

    private func stepCompleteRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                          encryptionKey: _RSA.Encryption.PrivateKey) async throws -> CompletionOutcome {
        if journal.etk != nil || journal.etkRegisteredWithoutCopy {
            context.progress(.stepAlreadyDone(Step.completeETKRegistration, detail: "ETK registered"))
            return .registered
        }
        guard let certificateData = journal.encryptionCertificate else { throw inconsistent("no encryption certificate at step 13") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.completeETKRegistration))
        let request = try await context.client.sign(
            CompleteETKRegistrationRequestType(issueInstant: .now, toBeRegistered: certificateData),
            with: authenticationKey)
        let sentBefore = journal.completionSentAt != nil
        try record { $0.completionSentAt = Date() }
        let client = context.client
        let response: CompleteETKRegistrationResponseType
        do {
            response = try await client.call(.completeETKRegistration) { try await client.etkRA.completeETKRegistration(request) }
        } catch let error as CertManagerError where sentBefore && error.code.rawValue == "VALID_ETK_ALREADY_EXISTS" {
            try recordRegisteredWithoutCopy(context)
            return .registered
        } catch let error as CertManagerError where sentBefore && Self.registrationGoneCodes.contains(error.code.rawValue) {
            try record { $0.challenge = nil }
            context.progress(.notice("completeETKRegistration was sent before and the registration is no longer pending (\(error.code)): starting it again"))
            return .startAgain
        }
        guard let etkData = response.etk else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "completeETKRegistration answered Success without an ETK",
                                   advice: "Try again (`resume`).", operation: PlatformOperation.completeETKRegistration.qualifiedName)
        }
        let etk: ETK
        do { etk = try ETK(derEncoded: etkData) } catch { throw CertManagerError(error, operation: PlatformOperation.completeETKRegistration.qualifiedName) }
        guard etk.hasEncryptionKey(encryptionKey) else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the returned ETK is not for this flow's encryption key",
                                   advice: "Report it to the eHealth service desk.", operation: PlatformOperation.completeETKRegistration.qualifiedName)
        }
        // Recorded at once: the ETK cannot be asked for again.
        try record {
            $0.etk = etkData
            $0.etkToBeActivated = response.toBeActivated
        }
        if response.toBeActivated == true {
            context.progress(.notice("the ETK replaces an existing one: it must be activated (activateETK) before it is used"))
        }
        context.progress(.stepFinished(Step.completeETKRegistration, detail: "ETK received, encryption certificate serial \(etk.encryptionCertificate.keystoreAlias)"))
        return .registered
    }

    private func recordRegisteredWithoutCopy(_ context: RunContext) throws {
        try record {
            $0.etkRegisteredWithoutCopy = true
            $0.notes.append("the ETK was registered by an earlier run whose answer was lost")
        }
        context.progress(.notice("the ETK was registered by an earlier run whose answer was lost; the keystore is complete, but no copy of the ETK could be saved"))
    }

    /// The ETK next to the keystore, then the encryption key under its serial alias (cookbook 4.1).
    /// Both writes are idempotent, so a run that stopped between them repeats them.
    private func finishKeystore(_ context: RunContext, encryptionKey: _RSA.Encryption.PrivateKey, keystorePassword: String) throws {
        guard let certificateData = journal.encryptionCertificate else { throw inconsistent("no encryption certificate after step 13") }
        let certificate = try EncryptionCertificate(derEncoded: certificateData)
        if let etk = journal.etk {
            try DurableFile.write(etk, to: journal.etkFile, permissions: 0o644)
        }
        var kept: [String] = []
        do {
            // A renewal keeps the replaced keystore's encryption keys under their serial aliases, so
            // that messages encrypted for the old ETK stay readable (protocol-facts, ETK).
            let previous = try journal.request.replacing.map { try Keystore(contentsOf: $0.keystoreFile, password: keystorePassword) }
            kept = previous?.encryptionAliases.filter { $0 != certificate.keystoreAlias } ?? []
            try Keystore.modify(at: journal.keystoreFile, password: keystorePassword) { keystore in
                for alias in previous?.encryptionAliases ?? [] {
                    guard let entry = previous?[alias], let key = entry.privateKey else { continue }
                    try keystore.setPrivateKey(key, certificateChain: entry.certificateChain, alias: alias)
                }
                try keystore.addEncryptionKey(KeystorePrivateKey(encryptionKey), certificate: certificate.certificate)
            }
        } catch {
            throw CertManagerError(error)
        }
        try record {
            $0.finishedAt = Date()
            if $0.request.replacing != nil { $0.keptEncryptionKeyAliases = kept }
        }
        if !kept.isEmpty {
            context.progress(.notice("kept the replaced keystore's encryption key\(kept.count == 1 ? "" : "s") \(kept.joined(separator: ", ")), for messages encrypted for the old ETK"))
        }
        context.progress(.notice(journal.etk != nil
            ? "keystore complete: \(journal.keystoreFile.path) (encryption key under alias \(certificate.keystoreAlias)); ETK in \(journal.etkFile.lastPathComponent)"
            : "keystore complete: \(journal.keystoreFile.path) (encryption key under alias \(certificate.keystoreAlias))"))
    }

    // MARK: - Result

    /// The steps of a finished flow, as its journal records them.
    private func replayRecordedSteps(_ progress: FlowProgress) {
        let identifier = journal.publicKeyIdentifier ?? "?"
        for step in Step.all {
            let detail: String?
            switch step.number {
            case 1: detail = journal.signer.map { "signed by \($0.fullName)" }
            case 2: detail = journal.actorQualities.map(describe)
            case 3: detail = journal.organizationRule.map { "\($0.identifierType) (\($0.name()))" }
            case 4: detail = journal.existingApplicationIDs != nil ? "\(journal.organization?.applicationID ?? "") was free" : nil
            case 5: detail = journal.contract.map { "contract for \($0.distinguishedName) accepted" }
            case 6: detail = "CSR with PublicKeyIdentifier \(identifier)"
            case 7: detail = "PublicKeyIdentifier \(identifier)"
            case 8: detail = journal.automaticallyValidated == false ? "validated by an operator" : "validated automatically"
            case 9: detail = "certificate delivered; keystore \(journal.keystoreFile.path)"
            case 10: detail = "RSA 2048 encryption key"
            case 11: detail = "challenge answered"
            case 12: detail = (try? journal.encryptionCertificate.map { try EncryptionCertificate(derEncoded: $0).keystoreAlias }).flatMap { $0 }.map { "serial number \($0)" }
            default: detail = journal.etk != nil ? "ETK saved as \(journal.etkFile.path)" : "ETK registered (no copy saved)"
            }
            if let detail {
                progress(.stepAlreadyDone(step, detail: detail))
            } else {
                progress(.stepSkipped(step, reason: journal.isOrganization ? "no application id requested" : "not needed for a natural person"))
            }
        }
    }

    private func result() throws -> CreateETKResult {
        guard let chainData = journal.certificateChain, let leafData = chainData.first, let certificateData = journal.encryptionCertificate,
              let distinguishedName = journal.distinguishedName else { throw inconsistent("the flow is finished but its journal is incomplete") }
        let authentication = try Certificate(derEncoded: Array(leafData))
        let encryption = try EncryptionCertificate(derEncoded: certificateData)
        let etk = try journal.etk.map { try ETK(derEncoded: $0) }
        var result = CreateETKResult(flowID: id, keystoreFile: journal.keystoreFile, etkFile: etk == nil ? nil : journal.etkFile,
                                     distinguishedName: distinguishedName, authenticationCertificate: authentication,
                                     encryptionKeyAlias: encryption.keystoreAlias, etk: etk)
        result.etkToBeActivated = journal.etkToBeActivated ?? false
        result.replacesCertificate = journal.replacesCertificate
        result.keptEncryptionKeyAliases = journal.keptEncryptionKeyAliases ?? []
        return result
    }

    // MARK: - Journal

    /// Applies a change to the journal and writes it durably before returning.
    private func record(_ change: (inout CreateETKJournal) throws -> Void) throws {
        var updated = journal
        try change(&updated)
        updated.updatedAt = Date()
        try updated.save(in: folder)
        journal = updated
    }

    private func inconsistent(_ what: String) -> CertManagerError {
        CertManagerError(.journalUnusable, .local, reason: "the flow's journal is inconsistent: \(what)",
                         advice: "The journal or secrets.p12 of this flow was altered; start a new flow.")
    }

    static func checkedIdentifierType(_ type: String) throws -> IdentifierType {
        do { return try IdentifierType(type) } catch { throw CertManagerError(error).asInvalidInput }
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

extension CertManagerError {
    /// The same error, as a mistake in the caller's input.
    var asInvalidInput: CertManagerError {
        CertManagerError(code, .invalidInput, reason: reason, advice: advice, operation: operation, ticket: ticket)
    }
}

extension CertManagerError.Code {
    static let keystoreExistsCode = Self(SecurityError.Code.keystoreExists.rawValue)
}

extension Certificate {
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
