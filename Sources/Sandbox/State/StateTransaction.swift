import Foundation
import GRDB
import X509

/// The state as one request sees and changes it, inside its transaction (``StateStore/transaction(_:)``).
/// Every query here has an index (``StateSchema``): none reads the whole state.
struct StateTransaction {
    private let db: Database

    init(_ db: Database) {
        self.db = db
    }

    // MARK: certificates

    func certificate(_ publicKeyIdentifier: String) throws -> StoredCertificate? {
        try StoredCertificate.fetchOne(db, key: publicKeyIdentifier.uppercased())
    }

    /// The request a PublicKeyIdentifier from a client names: the cookbook's identifier, or the
    /// one ``PlatformVariations/publicKeyIdentifierAnswer`` made generateCertificate answer.
    func certificate(answeredAs identifier: String) throws -> StoredCertificate? {
        let key = identifier.uppercased()
        if let stored = try certificate(key) { return stored }
        return try StoredCertificate.filter(StoredCertificate.Columns.subjectPublicKeyInfoHash == key).fetchOne(db)
    }

    /// The delivered certificate with this serial number (what a CRL or OCSP request names).
    func certificate(serialNumber: Certificate.SerialNumber) throws -> StoredCertificate? {
        try StoredCertificate.filter(StoredCertificate.Columns.serialNumber == String(describing: serialNumber)).fetchOne(db)
    }

    /// The certificates in `status` (a CRL lists the revoked ones), through the index that
    /// starts with the status.
    func certificates(status: StoredCertificate.Status) throws -> [StoredCertificate] {
        try StoredCertificate.filter(StoredCertificate.Columns.status == status.rawValue).fetchAll(db)
    }

    func certificates(dn: String) throws -> [StoredCertificate] {
        try StoredCertificate.filter(StoredCertificate.Columns.dn == dn).order(StoredCertificate.Columns.requestedAt).fetchAll(db)
    }

    /// An organization's certificates, oldest request first.
    func certificates(identifierType: String, identifierValue: String) throws -> [StoredCertificate] {
        try StoredCertificate
            .filter(StoredCertificate.Columns.identifierType == identifierType && StoredCertificate.Columns.identifierValue == identifierValue)
            .order(StoredCertificate.Columns.requestedAt).fetchAll(db)
    }

    /// The certificates `ssin` may see and revoke, oldest request first.
    func certificates(managedBy ssin: String) throws -> [StoredCertificate] {
        try StoredCertificate.fetchAll(db, sql: """
            SELECT certificate.* FROM certificate JOIN certificateManager USING (publicKeyIdentifier)
            WHERE certificateManager.ssin = ? ORDER BY certificate.requestedAt
            """, arguments: [ssin])
    }

    func isManager(_ ssin: String, of publicKeyIdentifier: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM certificateManager WHERE ssin = ? AND publicKeyIdentifier = ?)",
                          arguments: [ssin, publicKeyIdentifier]) ?? false
    }

    /// Approved requests in progress whose delivery time has come.
    func certificatesDue(at now: Date) throws -> [StoredCertificate] {
        try StoredCertificate
            .filter(StoredCertificate.Columns.status == StoredCertificate.Status.inProgress.rawValue
                    && StoredCertificate.Columns.deliverAt <= now && StoredCertificate.Columns.approved == true)
            .fetchAll(db)
    }

    /// Requests in progress that wait for an operator, oldest first.
    func certificatesAwaitingApproval() throws -> [StoredCertificate] {
        try StoredCertificate
            .filter(StoredCertificate.Columns.status == StoredCertificate.Status.inProgress.rawValue
                    && StoredCertificate.Columns.approved == false)
            .order(StoredCertificate.Columns.requestedAt).fetchAll(db)
    }

    /// A new request; refused (the whole transaction with it) if its key is on record already.
    func insert(_ certificate: StoredCertificate, managers: [String]) throws {
        try certificate.insert(db)
        for ssin in Set(managers) {
            try db.execute(sql: "INSERT INTO certificateManager (ssin, publicKeyIdentifier) VALUES (?, ?)",
                           arguments: [ssin, certificate.publicKeyIdentifier])
        }
    }

    func save(_ certificate: StoredCertificate) throws {
        try certificate.update(db)
    }

    // MARK: contracts

    func insert(_ contract: StoredContract) throws {
        try contract.insert(db)
    }

    /// The contracts of `kind` handed out for the DN `dn` (in any of its string forms), newest first.
    func contracts(_ kind: StoredContract.Kind, sameNameAs dn: String) throws -> [StoredContract] {
        try StoredContract
            .filter(StoredContract.Columns.kind == kind.rawValue && StoredContract.Columns.name == StoredContract.name(of: dn))
            .order(Column("sequence").desc).fetchAll(db)
    }

    // MARK: foreigners

    func foreignerSubmission(token: String) throws -> StoredForeignerSubmission? {
        try StoredForeignerSubmission.fetchOne(db, key: token)
    }

    func insert(_ submission: StoredForeignerSubmission) throws {
        try submission.insert(db)
    }

    func save(_ submission: StoredForeignerSubmission) throws {
        try submission.update(db)
    }
}
