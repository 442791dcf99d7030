import Foundation
import Logging
import Security

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
    private(set) var journal: CreateETKJournal
    let logger: Logger
    /// A foreigner's request was submitted by this run: the person cannot have confirmed it yet.
    var submittedInThisRun = false

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
        try request.validate()
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
            try removeSecretsOnceKept(progress, keystorePassword: keystorePassword)
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
        // The eID's part is over: log out before waiting for delivery (cookbook 4.3.4 steps 8-9).
        await eID.close()
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

    // MARK: - Journal

    /// Applies a change to the journal and writes it durably before returning.
    func record(_ change: (inout CreateETKJournal) throws -> Void) throws {
        var updated = journal
        try change(&updated)
        updated.updatedAt = Date()
        try updated.save(in: folder)
        journal = updated
    }

    func inconsistent(_ what: String) -> CertManagerError {
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
