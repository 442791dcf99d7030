import Foundation
import GRDB

/// A foreigner's submission waiting for confirmation on its validation page, by token.
struct StoredForeignerSubmission: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "foreignerSubmission"

    let token: String
    let publicKeyIdentifier: String
    let expiresAt: Date
    var confirmed: Bool
}
