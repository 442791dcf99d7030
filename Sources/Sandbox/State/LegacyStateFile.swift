import Foundation
import Generated
import Security
import SOAPRuntime
import X509

/// `state.json`, the sandbox's state before `state.sqlite` (one JSON document rewritten whole on
/// every change). A folder that still has one is imported into the database the first time it is
/// opened (``StateStore``); this is the file's shape as it was last written, frozen.
struct LegacyStateFile: Decodable {
    static func url(in directory: URL) -> URL {
        directory.appendingPathComponent("state.json")
    }

    struct Contract: Decodable {
        let id: String
        let dn: String
        /// The contract element as generated (`ContractType` / `RevocationContractType`).
        let xml: String
        let issuedAt: Date
    }

    struct Certificate: Decodable {
        let publicKeyIdentifier: String
        let dn: String
        let identifierType: String
        let identifierValue: String
        let applicationID: String?
        let actorFirstNames: [String]
        let actorName: String
        let isPerson: Bool
        let csr: Data
        let contactDataXML: String
        let baseServiceUsage: [String]
        let requestedAt: Date
        let deliverAt: Date
        let automaticallyValidated: Bool
        let approved: Bool
        let managers: [String]
        let status: StoredCertificate.Status
        let chain: [Data]
        let replaces: String?
        let etkStatus: StoredCertificate.ETKStatus
        let pendingEncryptionKey: Data?
        let pendingChallengeSerial: Data?
        let etk: Data?
    }

    struct ForeignerSubmission: Decodable {
        let token: String
        let publicKeyIdentifier: String
        let expiresAt: Date
        let confirmed: Bool
    }

    let contracts: [Contract]
    let revocationContracts: [Contract]
    let certificates: [String: Certificate]
    let foreignerSubmissions: [String: ForeignerSubmission]

    init(contentsOf url: URL) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            self = try decoder.decode(Self.self, from: Data(contentsOf: url))
        } catch {
            throw SandboxError.state("cannot import \(url.path) (the state of an earlier sandbox): \(error); move it away to start with an empty state")
        }
    }

    /// Writes everything into the new tables, in the order it was recorded.
    func importInto(_ state: StateTransaction) throws {
        do {
            for contract in contracts {
                let parsed = try ContractType(xmlElement: XMLDocument(parsing: contract.xml).root)
                try state.insert(StoredContract(parsed, id: contract.id, issuedAt: contract.issuedAt))
            }
            for contract in revocationContracts {
                let parsed = try RevocationContractType(xmlElement: XMLDocument(parsing: contract.xml).root)
                try state.insert(StoredContract(parsed, id: contract.id, issuedAt: contract.issuedAt))
            }
            for old in certificates.values.sorted(by: { $0.requestedAt < $1.requestedAt }) {
                let csr = try EHealthCertificateSigningRequest(derEncoded: old.csr)
                let serialNumber = try old.chain.first.map { String(describing: try X509.Certificate(derEncoded: Array($0)).serialNumber) }
                let contact = try ContactDataType(xmlElement: XMLDocument(parsing: old.contactDataXML).root)
                try state.insert(StoredCertificate(
                    publicKeyIdentifier: old.publicKeyIdentifier,
                    subjectPublicKeyInfoHash: try PlatformVariations.subjectPublicKeyInfoHash(csr.request.publicKey),
                    dn: old.dn, identifierType: old.identifierType, identifierValue: old.identifierValue,
                    applicationID: old.applicationID, actorFirstNames: old.actorFirstNames, actorName: old.actorName,
                    isPerson: old.isPerson, csr: old.csr, contactData: StoredContactData(contact),
                    baseServiceUsage: old.baseServiceUsage, requestedAt: old.requestedAt, deliverAt: old.deliverAt,
                    automaticallyValidated: old.automaticallyValidated, approved: old.approved, status: old.status,
                    chain: old.chain, serialNumber: serialNumber, replaces: old.replaces, etkStatus: old.etkStatus,
                    pendingEncryptionKey: old.pendingEncryptionKey, pendingChallengeSerial: old.pendingChallengeSerial,
                    etk: old.etk), managers: old.managers)
            }
            for submission in foreignerSubmissions.values {
                try state.insert(StoredForeignerSubmission(token: submission.token, publicKeyIdentifier: submission.publicKeyIdentifier,
                                                           expiresAt: submission.expiresAt, confirmed: submission.confirmed))
            }
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError.state("cannot import state.json (the state of an earlier sandbox): \(error)")
        }
    }
}
