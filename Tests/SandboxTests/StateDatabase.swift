import Foundation
import GRDB
import Testing

/// `state.sqlite` as someone else sees it: read with SQLite directly, through a connection of
/// its own, without the sandbox's code.
struct StateDatabase {
    struct Certificate: Equatable {
        let status: String
        let etkStatus: String
        let dn: String
        let approved: Bool
    }

    /// Contracts and revocation contracts handed out.
    let contracts: Int
    let revocationContracts: Int
    /// By PublicKeyIdentifier.
    let certificates: [String: Certificate]
    let journalMode: String
    /// `PRAGMA integrity_check`: "ok" for a whole database.
    let integrity: String

    init(directory: URL) throws {
        let file = directory.appendingPathComponent("state.sqlite")
        #expect(FileManager.default.fileExists(atPath: file.path), "no \(file.path)")
        let database = try DatabaseQueue(path: file.path)
        (contracts, revocationContracts, certificates, journalMode, integrity) = try database.read { db in
            let contracts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contract WHERE kind = 'certificate'") ?? 0
            let revocations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contract WHERE kind = 'revocation'") ?? 0
            var certificates: [String: Certificate] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT publicKeyIdentifier, status, etkStatus, dn, approved FROM certificate") {
                certificates[row["publicKeyIdentifier"]] = Certificate(status: row["status"], etkStatus: row["etkStatus"], dn: row["dn"],
                                                                       approved: row["approved"])
            }
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?"
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            return (contracts, revocations, certificates, mode, integrity)
        }
    }
}
