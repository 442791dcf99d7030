import Foundation

/// Everything clients did to the sandbox, as plain values so it can be saved and read back.
/// XML parts (contracts, contact data) are kept as the XML the client sent.
struct SandboxState: Codable, Sendable {
    /// Contracts handed out by generateContract, which generateCertificate must get back unchanged.
    var contracts: [StoredContract] = []
    var revocationContracts: [StoredContract] = []
    /// Certificate requests and certificates, by PublicKeyIdentifier (upper-case hex).
    var certificates: [String: StoredCertificate] = [:]
    /// Pending foreigner submissions, by validation token.
    var foreignerSubmissions: [String: StoredForeignerSubmission] = [:]
    var counter: Int = 0

    mutating func nextNumber() -> Int {
        counter += 1
        return counter
    }
}

struct StoredContract: Codable, Sendable, Equatable {
    let id: String
    let dn: String
    let signerSSIN: String
    /// The contract element as generated (`ContractType` / `RevocationContractType`).
    let xml: String
    let issuedAt: Date
}

struct StoredCertificate: Codable, Sendable {
    enum Status: String, Codable, Sendable {
        case inProgress = "IN_PROGRESS", validActive = "VALID_ACTIVE", refused = "REFUSED", revoked = "REVOKED", expired = "EXPIRED"
    }

    enum ETKStatus: String, Codable, Sendable {
        case notRequested = "NOT_REQUESTED", inRequest = "IN_REQUEST", waitForActivation = "WAIT_FOR_ACTIVATION"
        case validActive = "VALID_ACTIVE", revoked = "REVOKED", expired = "EXPIRED"
    }

    let publicKeyIdentifier: String
    let dn: String
    /// `SSIN`, `CBE`, ...
    let identifierType: String
    let identifierValue: String
    let applicationID: String?
    let actorFirstNames: [String]
    let actorName: String
    let isPerson: Bool
    let csr: Data
    /// ContactDataType as XML.
    let contactDataXML: String
    let baseServiceUsage: [String]
    let requestedAt: Date
    var deliverAt: Date
    let automaticallyValidated: Bool
    var approved: Bool
    /// SSINs of people who may see and revoke it (the requester and, for organizations, its managers).
    var managers: [String]
    var status: Status
    /// The issued certificate (DER) first, then its issuers up to but excluding the root.
    var chain: [Data] = []
    /// The issued certificate (DER), once delivered.
    var certificate: Data? { chain.first }
    var replaces: String?
    var etkStatus: ETKStatus = .notRequested
    /// ETK registration in progress: the registered public key (DER SPKI) and the challenge's serial.
    var pendingEncryptionKey: Data?
    var pendingChallengeSerial: Data?
    var etk: Data?
}

struct StoredForeignerSubmission: Codable, Sendable {
    let token: String
    let publicKeyIdentifier: String
    let expiresAt: Date
    var confirmed: Bool
}
