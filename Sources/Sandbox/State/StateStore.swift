import Foundation
import GRDB

/// What clients did to the sandbox, in `state.sqlite` (SQLite through GRDB, WAL mode).
///
/// Every request runs in one transaction (``transaction(_:)``), begun IMMEDIATE so that it holds
/// the write lock from its first read: requests of this process and of another one on the same
/// folder (`ehcert-sandbox approve` while `serve` runs) follow one another and none loses
/// another's write. A kill -9 or a power cut leaves every acknowledged transaction and none half
/// done (WAL with `synchronous = FULL`: a commit is on disk before the answer leaves). Each
/// lookup has an index, so a request costs the same with ten certificates on record or ten
/// thousand.
final class StateStore: Sendable {
    static let fileName = "state.sqlite"

    let url: URL
    private let database: DatabaseQueue
    /// Brings the state up to date with time at the start of every transaction (for example,
    /// issues the certificates whose delivery time has passed).
    private let catchUp: @Sendable (StateTransaction) throws -> Void

    /// Opens (or creates) the database of the sandbox folder `directory`. A folder from before the
    /// database (`state.json`) is imported into it once, and its file renamed `state.json.imported`.
    init(directory: URL, catchUp: @escaping @Sendable (StateTransaction) throws -> Void = { _ in }) throws {
        url = directory.appendingPathComponent(Self.fileName)
        self.catchUp = catchUp
        var configuration = Configuration()
        configuration.journalMode = .wal
        // Another process may hold the write lock for the length of one request (or of a whole
        // import): wait for it rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.label = "sandbox state"
        do {
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            try database.writeWithoutTransaction { db in
                // GRDB sets NORMAL for WAL, which keeps the database whole after a power cut but may
                // lose the last commits; an acknowledged request must not be lost.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let legacy = LegacyStateFile.url(in: directory)
            try database.write { db in
                // Checked and created in one IMMEDIATE transaction: two processes opening a new
                // folder at once cannot both create the tables (GRDB's migrator reads the applied
                // migrations before it locks).
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version < StateSchema.version else {
                    guard version == StateSchema.version else {
                        throw SandboxError.state("\(url.path) has schema version \(version); this sandbox knows version \(StateSchema.version) only: use the ehcert-sandbox that made it")
                    }
                    return
                }
                try StateSchema.create(in: db)
                if FileManager.default.fileExists(atPath: legacy.path) {
                    try LegacyStateFile(contentsOf: legacy).importInto(StateTransaction(db))
                }
                try db.execute(sql: "PRAGMA user_version = \(StateSchema.version)")
            }
            // Only once the import is committed; if this rename does not happen, the next opening
            // sees a database of the current version and does not import again.
            if FileManager.default.fileExists(atPath: legacy.path) {
                try? FileManager.default.moveItem(at: legacy, to: legacy.appendingPathExtension("imported"))
            }
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError.state("cannot open \(url.path): \(error)")
        }
    }

    /// Runs one request's reads and writes in one transaction, after catching up with time.
    /// An error thrown by `body` rolls everything back (the catch-up included) and is rethrown as is.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (StateTransaction) throws -> Result) async throws -> Result {
        let catchUp = self.catchUp
        do {
            return try await database.write { db in
                let transaction = StateTransaction(db)
                try catchUp(transaction)
                return try body(transaction)
            }
        } catch let error as DatabaseError {
            throw SandboxError.state("\(url.path): \(error)")
        }
    }
}
