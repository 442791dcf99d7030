import GRDB

/// The tables of `state.sqlite`, and the indexes that keep every request's cost independent of
/// how much is on record: each lookup a request makes has one.
enum StateSchema {
    /// `PRAGMA user_version` of a database with these tables.
    static let version = 1

    static func create(in db: Database) throws {
        try db.create(table: StoredCertificate.databaseTableName) { table in
            table.primaryKey("publicKeyIdentifier", .text)
            table.column("subjectPublicKeyInfoHash", .text).notNull().indexed()
            table.column("dn", .text).notNull().indexed()
            table.column("identifierType", .text).notNull()
            table.column("identifierValue", .text).notNull()
            table.column("applicationID", .text)
            table.column("actorFirstNames", .jsonText).notNull()
            table.column("actorName", .text).notNull()
            table.column("isPerson", .boolean).notNull()
            table.column("csr", .blob).notNull()
            table.column("contactData", .jsonText).notNull()
            table.column("baseServiceUsage", .jsonText).notNull()
            table.column("requestedAt", .datetime).notNull()
            table.column("deliverAt", .datetime).notNull()
            table.column("automaticallyValidated", .boolean).notNull()
            table.column("approved", .boolean).notNull()
            table.column("status", .text).notNull()
            table.column("chain", .jsonText).notNull()
            table.column("serialNumber", .text).indexed()
            table.column("replaces", .text)
            table.column("etkStatus", .text).notNull()
            table.column("pendingEncryptionKey", .blob)
            table.column("pendingChallengeSerial", .blob)
            table.column("etk", .blob)
        }
        // getExistingApplicationIds: an organization's certificates.
        try db.create(index: "certificate_organization", on: StoredCertificate.databaseTableName,
                      columns: ["identifierType", "identifierValue"])
        // Every request first delivers what is due, and `approve` lists what waits: requests in progress by date.
        try db.create(index: "certificate_progress", on: StoredCertificate.databaseTableName, columns: ["status", "deliverAt"])

        // Who may see and revoke a certificate: the requester and, for organizations, its managers.
        try db.create(table: "certificateManager") { table in
            table.column("ssin", .text).notNull()
            table.column("publicKeyIdentifier", .text).notNull()
                .references(StoredCertificate.databaseTableName, onDelete: .cascade)
            table.primaryKey(["ssin", "publicKeyIdentifier"])
        }
        try db.create(index: "certificateManager_certificate", on: "certificateManager", columns: ["publicKeyIdentifier"])

        try db.create(table: StoredContract.databaseTableName) { table in
            // The sequence orders contracts as they were handed out.
            table.autoIncrementedPrimaryKey("sequence")
            table.column("id", .text).notNull().unique()
            table.column("kind", .text).notNull()
            table.column("dn", .text).notNull()
            table.column("name", .text).notNull()
            table.column("signer", .jsonText).notNull()
            table.column("revocationReason", .text)
            table.column("text", .jsonText).notNull()
            table.column("issuedAt", .datetime).notNull()
        }
        try db.create(index: "contract_name", on: StoredContract.databaseTableName, columns: ["kind", "name"])

        try db.create(table: StoredForeignerSubmission.databaseTableName) { table in
            table.primaryKey("token", .text)
            table.column("publicKeyIdentifier", .text).notNull()
                .references(StoredCertificate.databaseTableName, onDelete: .cascade)
            table.column("expiresAt", .datetime).notNull()
            table.column("confirmed", .boolean).notNull()
        }
    }
}
