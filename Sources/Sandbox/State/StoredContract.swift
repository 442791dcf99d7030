import Foundation
import Generated
import GRDB
import Security

/// A contract handed out by generateContract or generateRevocationContract, as plain values
/// (issue 12: not XML text), which the signed request that follows must send back unchanged.
struct StoredContract: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "contract"

    enum Kind: String, Codable, Sendable {
        case certificate, revocation
    }

    struct Actor: Codable, Sendable, Equatable {
        struct Identifier: Codable, Sendable, Equatable {
            let type: String
            let value: String
        }

        let identifiers: [Identifier]
        let firstNames: [String]
        let name: String

        init(_ actor: ActorType) {
            identifiers = actor.id.map { Identifier(type: $0.type, value: $0.value) }
            firstNames = actor.firstName
            name = actor.name
        }

        var actor: ActorType {
            ActorType(id: identifiers.map { IdType(type: $0.type, value: $0.value) }, firstName: firstNames, name: name)
        }
    }

    struct Text: Codable, Sendable, Equatable {
        let language: String
        let value: String
    }

    let id: String
    let kind: Kind
    /// The DN as written in the contract.
    let dn: String
    /// The DN in one string form whatever form it was written in, to find a contract by name
    /// with an index (``EHealthDistinguishedName/sameName(_:_:)``).
    let name: String
    let signer: Actor
    /// Revocation contracts only.
    let revocationReason: String?
    let text: [Text]
    let issuedAt: Date

    /// The key `name` holds for a DN string: its canonical form when it parses, else the string.
    static func name(of dn: String) -> String {
        (try? EHealthDistinguishedName(dn))?.description ?? dn
    }

    init(_ contract: ContractType, id: String, issuedAt: Date) {
        self.id = id
        kind = .certificate
        dn = contract.dn
        name = Self.name(of: contract.dn)
        signer = Actor(contract.signer)
        revocationReason = nil
        text = contract.text.value.map { Text(language: $0.language.xmlText, value: $0.value) }
        self.issuedAt = issuedAt
    }

    init(_ contract: RevocationContractType, id: String, issuedAt: Date) {
        self.id = id
        kind = .revocation
        dn = contract.dn
        name = Self.name(of: contract.dn)
        signer = Actor(contract.signer)
        revocationReason = contract.revocationReason.rawValue
        text = contract.text.value.map { Text(language: $0.language.xmlText, value: $0.value) }
        self.issuedAt = issuedAt
    }

    private func textType() throws -> TextType {
        TextType(value: try text.map { LocalizedString(language: try Lang(xmlText: $0.language), value: $0.value) })
    }

    /// The contract as it was handed out.
    func contract() throws -> ContractType {
        ContractType(dn: dn, signer: signer.actor, text: try textType())
    }

    func revocationContract() throws -> RevocationContractType {
        guard let revocationReason, let reason = RevocationReasonType(rawValue: revocationReason) else {
            throw SandboxError.state("contract \(id) is not a revocation contract (reason \(revocationReason ?? "missing"))")
        }
        return RevocationContractType(dn: dn, signer: signer.actor, revocationReason: reason, text: try textType())
    }

    enum Columns {
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
        static let issuedAt = Column(CodingKeys.issuedAt)
    }
}
