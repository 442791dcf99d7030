import Foundation
import GRDB
import Testing

/// A sandbox folder's `state.sqlite` as someone else sees it: read with SQLite directly, through
/// a connection of its own, without the sandbox's code (while the sandbox may still run).
struct SandboxStateDatabase {
    struct Certificate: Equatable, CustomStringConvertible {
        let status: String
        let etkStatus: String
        var description: String { "\(status), ETK \(etkStatus)" }
    }

    /// By PublicKeyIdentifier.
    let certificates: [String: Certificate]
    let certificateCount: Int
    /// Contracts for certificates (not revocation contracts).
    let contractCount: Int
    /// `PRAGMA integrity_check`: "ok" for a whole database.
    let integrity: String

    init(directory: URL) throws {
        let file = directory.appendingPathComponent("state.sqlite")
        guard FileManager.default.fileExists(atPath: file.path) else {
            (certificates, certificateCount, contractCount, integrity) = ([:], 0, 0, "no database")
            return
        }
        (certificates, certificateCount, contractCount, integrity) = try DatabaseQueue(path: file.path).read { db in
            var certificates: [String: Certificate] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT publicKeyIdentifier, status, etkStatus FROM certificate") {
                certificates[row["publicKeyIdentifier"]] = Certificate(status: row["status"], etkStatus: row["etkStatus"])
            }
            return (certificates,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM certificate") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contract WHERE kind = 'certificate'") ?? 0,
                    try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; "))
        }
    }
}
