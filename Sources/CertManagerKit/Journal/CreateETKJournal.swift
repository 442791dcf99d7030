import Foundation
import Generated
import SOAPRuntime

/// The durable record of one create-new-ETK flow (cookbook 4.3.4): the request, and what each
/// step produced, written (atomically, mode 0600) after every step and before every request that
/// depends on it. No secret is in here: private keys are in the flow's `secrets.p12`.
///
/// The next step to do is read off what is recorded (``nextStep``), so `resume` after a crash,
/// a network failure or a stop of days continues exactly where the flow was.
struct CreateETKJournal: Codable, Sendable {
    static let fileName = "journal.json"
    static let currentFormat = 1

    var format = CreateETKJournal.currentFormat
    var kind = FlowKind.createETK
    let flowID: FlowID
    let createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?

    let request: CreateETKRequest
    /// Where the flow was started; `resume` uses these unless told otherwise.
    var endpoints: ServiceEndpoints

    // Steps 1-2: the eID holder and their qualities.
    var signer: EIDHolder?
    var actorQualities: ActorQualitiesRecord?
    // Step 3 (organizations): the type's rules.
    var organizationRule: OrganizationIdentifierRule?
    // Step 4 (organizations with an application id).
    var existingApplicationIDs: [String]?
    // Step 5: the contract, and when the person accepted it.
    var contract: ContractRecord?
    var contractAcceptedAt: Date?
    // Step 6: the CSR (its key is in secrets.p12 under `pending-authentication`).
    var csr: Data?
    /// Ours until generateCertificate answers; then the platform's (what getCertificate takes).
    var publicKeyIdentifier: String?
    /// Ours, kept when the platform answered another PublicKeyIdentifier.
    var computedPublicKeyIdentifier: String?
    // Step 7: sent (so a repeat is recognised), then accepted.
    var certificateRequestSentAt: Date?
    var certificateRequestAcceptedAt: Date?
    var automaticallyValidated: Bool?
    /// generateCertificate's ReplacesCertificate (hex), for a renewal.
    var replacesCertificate: String?
    // Step 9: the delivered chain, the leaf first; the keystore with `authentication` written.
    var certificateChain: [Data]?
    var keystoreFileName: String?
    // Step 10: the encryption key's public part (the key is in secrets.p12 under `pending-encryption`).
    var encryptionPublicKey: Data?
    // Step 11.
    var challenge: Data?
    // Step 12.
    var encryptionCertificate: Data?
    // Step 13: sent (so a repeat is recognised), then the ETK.
    var completionSentAt: Date?
    var etk: Data?
    /// completeETKRegistration's ToBeActivated: a replacement ETK waits for activateETK.
    var etkToBeActivated: Bool?
    /// A renewal's keystore: the replaced keystore's encryption key aliases it kept.
    var keptEncryptionKeyAliases: [String]?
    /// A foreigner's flow (cookbook 4.3.7): the DN of the CSR, and submitCSRForForeigner's
    /// ValidationUrl and ExpirationDate.
    var foreignerDistinguishedName: String?
    var validationURL: String?
    var validationExpiresAt: Date?
    /// completeETKRegistration answered VALID_ETK_ALREADY_EXISTS on a repeat: registered, ETK not returned.
    var etkRegisteredWithoutCopy = false
    var notes: [String] = []

    init(flowID: FlowID, request: CreateETKRequest, endpoints: ServiceEndpoints, now: Date) {
        self.flowID = flowID
        self.createdAt = now
        self.updatedAt = now
        self.request = request
        self.endpoints = endpoints
    }

    var isOrganization: Bool {
        if case .organization = request.owner { return true }
        return false
    }

    var organization: CreateETKRequest.Organization? {
        if case .organization(let organization) = request.owner { return organization }
        return nil
    }

    var foreigner: CreateETKRequest.Foreigner? {
        if case .foreigner(let foreigner) = request.owner { return foreigner }
        return nil
    }

    /// The DN of the certificate: the contract's, or a foreigner's CSR's.
    var distinguishedName: String? { contract?.distinguishedName ?? foreignerDistinguishedName }

    /// `SSIN=85073003328`, `CBE=0412345614, APP1`; "natural person" before the eID was read.
    var ownerDescription: String {
        switch request.owner {
        case .naturalPerson:
            return signer.map { "SSIN=\($0.ssin)" } ?? "natural person"
        case .organization(let organization):
            return "\(organization.type)=\(organization.identifier)" + (organization.applicationID.map { ", \($0)" } ?? "")
        case .foreigner(let foreigner):
            return "SSIN=\(foreigner.bis) (foreigner)"
        }
    }

    /// The platform connector's name: `<TYPE>=<ID>[,<APPID>] yyyyMMdd-HHmmss.p12` (protocol-facts).
    func proposedKeystoreFileName() -> String? {
        let owner: String
        switch request.owner {
        case .naturalPerson:
            guard let signer else { return nil }
            owner = "SSIN=\(signer.ssin)"
        case .organization(let organization):
            owner = "\(organization.type)=\(organization.identifier)" + (organization.applicationID.map { ",\($0)" } ?? "")
        case .foreigner(let foreigner):
            owner = "SSIN=\(foreigner.bis)"
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        // The platform's own name for production; `acceptance` or `sandbox` added otherwise, so
        // that a file says which environment it is for (``KeystoreEnvironment``).
        let mark = KeystoreEnvironment(endpoints: endpoints)?.fileNameMark ?? ""
        return "\(owner) \(formatter.string(from: createdAt))\(mark).p12"
    }

    var keystoreFile: URL {
        request.keystoreDirectory.appendingPathComponent(keystoreFileName ?? proposedKeystoreFileName() ?? "\(flowID.rawValue).p12")
    }

    /// The ETK next to the keystore: the same name with `.etk`.
    var etkFile: URL {
        keystoreFile.deletingPathExtension().appendingPathExtension("etk")
    }

    /// The first step not yet done, nil when the flow is finished.
    var nextStep: FlowStep? {
        typealias Step = FlowStep.CreateETK
        if finishedAt != nil { return nil }
        if foreigner != nil {
            if csr == nil { return FlowStep.Foreigner.prepareCertificateRequest }
            if certificateRequestAcceptedAt == nil { return FlowStep.Foreigner.submitCSRForForeigner }
        } else {
            if actorQualities == nil { return Step.signActorQualities }
            if isOrganization, organizationRule == nil { return Step.getGenericOrganizationTypes }
            if organization?.applicationID != nil, existingApplicationIDs == nil { return Step.getExistingApplicationIds }
            if contract == nil || contractAcceptedAt == nil { return Step.generateContract }
            if csr == nil { return Step.prepareCertificateRequest }
            if certificateRequestAcceptedAt == nil { return Step.generateCertificate }
        }
        if certificateChain == nil { return Step.getCertificate }
        if encryptionPublicKey == nil { return Step.prepareETKRegistration }
        // Registered: only the keystore's encryption entry remains (the end of step 13).
        if etk != nil || etkRegisteredWithoutCopy { return Step.completeETKRegistration }
        if challenge == nil { return Step.startETKRegistration }
        if encryptionCertificate == nil { return Step.createEncryptionCertificate }
        return Step.completeETKRegistration
    }

    // MARK: Files

    static func url(in folder: URL) -> URL {
        folder.appendingPathComponent(fileName)
    }

    static func load(from folder: URL) throws -> CreateETKJournal {
        let url = url(in: folder)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CertManagerError(.flowNotFound, .invalidInput, reason: "there is no flow journal at \(url.path)",
                                   advice: "List the flows of the work directory (`ehcert resume --list`) and give one of their ids.")
        }
        do {
            let journal = try decoder.decode(CreateETKJournal.self, from: data)
            guard journal.format <= currentFormat else {
                throw CertManagerError(.journalUnusable, .local, reason: "the journal \(url.path) was written by a newer version (format \(journal.format))",
                                       advice: "Resume it with the version of the software that started it.")
            }
            return journal
        } catch let error as CertManagerError {
            throw error
        } catch {
            throw CertManagerError(.journalUnusable, .local, reason: "the journal \(url.path) cannot be read: \(error)",
                                   advice: "The file was damaged or edited. Its flow cannot be resumed; start a new one.")
        }
    }

    func save(in folder: URL) throws {
        try DurableFile.write(try Self.encoder.encode(self), to: Self.url(in: folder))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Steps 1-2, as far as the flow needs them.
struct ActorQualitiesRecord: Codable, Sendable, Equatable {
    var naturalPersonAuthorization: Bool
    /// `TYPE=ID` → the organization's name (in the first language given).
    var organizations: [String: String]
}

/// The contract exactly as generateContract returned it: generateCertificate must carry it
/// unchanged (cookbook 4.3.4.5: "copy the contract as-is").
struct ContractRecord: Codable, Sendable, Equatable {
    struct Identifier: Codable, Sendable, Equatable {
        var type: String
        var value: String
    }

    struct Text: Codable, Sendable, Equatable {
        var language: String
        var value: String
    }

    var distinguishedName: String
    var signerIdentifiers: [Identifier]
    var signerFirstNames: [String]
    var signerName: String
    var texts: [Text]
}

extension ContractRecord {
    init(_ contract: ContractType) {
        distinguishedName = contract.dn
        signerIdentifiers = contract.signer.id.map { Identifier(type: $0.type, value: $0.value) }
        signerFirstNames = contract.signer.firstName
        signerName = contract.signer.name
        texts = contract.text.value.map { Text(language: $0.language.xmlText, value: $0.value) }
    }

    func contractType() throws -> ContractType {
        ContractType(
            dn: distinguishedName,
            signer: ActorType(id: signerIdentifiers.map { IdType(type: $0.type, value: $0.value) },
                              firstName: signerFirstNames, name: signerName),
            text: TextType(value: try texts.map { LocalizedString(language: try Lang(xmlText: $0.language), value: $0.value) }))
    }

    var offer: ContractOffer {
        ContractOffer(distinguishedName: distinguishedName,
                      signerName: (signerFirstNames + [signerName]).joined(separator: " "),
                      signerSSIN: signerIdentifiers.first { $0.type == "SSIN" }?.value,
                      texts: texts.map { ContractOffer.Text(language: $0.language, html: $0.value) })
    }
}
