import Foundation
import GRDB

/// A certificate request and, once delivered, its certificate: one row of the `certificate` table.
/// Columns are the properties; lists ([String], [Data]) and the contact data are JSON columns,
/// as GRDB encodes nested values.
struct StoredCertificate: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "certificate"

    enum Status: String, Codable, Sendable {
        case inProgress = "IN_PROGRESS", validActive = "VALID_ACTIVE", refused = "REFUSED", revoked = "REVOKED", expired = "EXPIRED"
    }

    enum ETKStatus: String, Codable, Sendable {
        case notRequested = "NOT_REQUESTED", inRequest = "IN_REQUEST", waitForActivation = "WAIT_FOR_ACTIVATION"
        case validActive = "VALID_ACTIVE", revoked = "REVOKED", expired = "EXPIRED"
    }

    /// Upper-case hex, cookbook's definition (RFC 5280 4.2.1.2 method 1).
    let publicKeyIdentifier: String
    /// SHA-1 of the CSR's whole SubjectPublicKeyInfo, upper-case hex: the identifier that
    /// ``PlatformVariations/PublicKeyIdentifierAnswer/subjectPublicKeyInfo`` answers, kept so that
    /// getCertificate finds a request by it with an index instead of hashing every stored CSR.
    let subjectPublicKeyInfoHash: String
    let dn: String
    /// `SSIN`, `CBE`, ...
    let identifierType: String
    let identifierValue: String
    let applicationID: String?
    let actorFirstNames: [String]
    let actorName: String
    let isPerson: Bool
    let csr: Data
    let contactData: StoredContactData
    let baseServiceUsage: [String]
    let requestedAt: Date
    var deliverAt: Date
    let automaticallyValidated: Bool
    var approved: Bool
    var status: Status
    /// The issued certificate (DER) first, then its issuers up to but excluding the root.
    var chain: [Data] = []
    /// The issued certificate's serial number (lower-case hex, as X509 prints it), once delivered:
    /// what a CRL or an OCSP request names.
    var serialNumber: String?
    var replaces: String?
    var etkStatus: ETKStatus = .notRequested
    /// ETK registration in progress: the registered public key (DER SPKI) and the challenge's serial.
    var pendingEncryptionKey: Data?
    var pendingChallengeSerial: Data?
    var etk: Data?

    /// The issued certificate (DER), once delivered.
    var certificate: Data? { chain.first }

    enum Columns {
        static let publicKeyIdentifier = Column(CodingKeys.publicKeyIdentifier)
        static let subjectPublicKeyInfoHash = Column(CodingKeys.subjectPublicKeyInfoHash)
        static let dn = Column(CodingKeys.dn)
        static let identifierType = Column(CodingKeys.identifierType)
        static let identifierValue = Column(CodingKeys.identifierValue)
        static let requestedAt = Column(CodingKeys.requestedAt)
        static let deliverAt = Column(CodingKeys.deliverAt)
        static let automaticallyValidated = Column(CodingKeys.automaticallyValidated)
        static let approved = Column(CodingKeys.approved)
        static let status = Column(CodingKeys.status)
        static let serialNumber = Column(CodingKeys.serialNumber)
    }
}
