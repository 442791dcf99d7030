import Foundation
import Generated
import Security
import SOAPRuntime

/// generateContract and generateRevocationContract: personalised bilingual contracts that must
/// come back unmodified in the signed request that follows.
extension SandboxEngine {
    func generateContract(_ request: GenerateContractRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GenerateContractResponseType {
        guard let signerID = request.signer.id.first, signerID.type == "SSIN" else {
            throw EHealthFailure("CSR_INVALID_DN_INVALID", "the Signer must be identified by an Id of type SSIN")
        }
        let actor = request.certificateIdentifier.actor
        guard let actorID = actor.id.first else {
            throw EHealthFailure("CSR_INVALID_DN_INVALID", "the CertificateIdentifier's actor has no Id")
        }
        let applicationID = request.certificateIdentifier.applicationId
        let dn: EHealthDistinguishedName
        do {
            if actorID.type == "SSIN" {
                guard actorID.value == signerID.value else {
                    throw EHealthFailure("CSR_INVALID_DN_INVALID", "a natural person's certificate must be requested by that person: the Signer's SSIN \(signerID.value) is not \(actorID.value)")
                }
                guard applicationID == nil else {
                    throw EHealthFailure("CSR_INVALID_DN_INVALID", "only organizations may use an ApplicationId")
                }
                let name = ([actor.name] + actor.firstName).joined(separator: " ")
                dn = try EHealthDistinguishedName.Builder().person(ssin: actorID.value).name(name).build()
            } else {
                guard let organization = world.organization(type: actorID.type, id: actorID.value) else {
                    throw EHealthFailure("CSR_INVALID_DN_INVALID", "no organization \(actorID.type)=\(actorID.value) is known to the sandbox")
                }
                dn = try EHealthDistinguishedName.Builder()
                    .organization(try IdentifierType(actorID.type), id: actorID.value)
                    .applicationID(applicationID).name(organization.nameFrench).build()
            }
        } catch let error as SecurityError {
            throw EHealthFailure("CSR_INVALID_DN_INVALID", error.reason)
        }
        let written = dn.string(configuration.contractDistinguishedNameForm)
        let contract = ContractType(dn: written, signer: request.signer,
                                    text: Self.contractText(dn: written, signer: request.signer, date: now))
        let issued = StoredContract(contract, id: Self.newID(), issuedAt: now)
        try await store.transaction { state in try state.insert(issued) }
        return GenerateContractResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                            status: EHealthFailure.success, contract: contract)
    }

    static func contractText(dn: String, signer: ActorType, date: Date) -> TextType {
        let name = (signer.firstName + [signer.name]).joined(separator: " ")
        let ssin = signer.id.first?.value ?? ""
        let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "Europe/Brussels")!, formatOptions: [.withFullDate])
        let french = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Contrat eHealth</title></head><body>
        <h1>Demande de certificat eHealth</h1>
        <p>Je soussigné(e), \(escapeHTML(name)) (NISS \(ssin)), demande un certificat eHealth et un jeton de chiffrement (ETK) pour <strong>\(escapeHTML(dn))</strong>.</p>
        <p>Je m'engage à protéger la clé privée, à ne l'utiliser que pour les services de la plate-forme eHealth, et à révoquer le certificat dès qu'elle est compromise.</p>
        <p>Fait le \(day) (bac à sable, sans valeur juridique).</p>
        </body></html>
        """
        let dutch = """
        <!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>eHealth-contract</title></head><body>
        <h1>Aanvraag van een eHealth-certificaat</h1>
        <p>Ondergetekende, \(escapeHTML(name)) (INSZ \(ssin)), vraagt een eHealth-certificaat en een encryptiesleutel (ETK) aan voor <strong>\(escapeHTML(dn))</strong>.</p>
        <p>Ik verbind mij ertoe de private sleutel te beschermen, hem enkel voor de diensten van het eHealth-platform te gebruiken, en het certificaat in te trekken zodra hij gecompromitteerd is.</p>
        <p>Opgemaakt op \(day) (sandbox, zonder juridische waarde).</p>
        </body></html>
        """
        return text(french: french, dutch: dutch)
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The stored contract this one must be identical to, or the refusal.
    static func checkContractUnmodified(_ contract: ContractType, in state: StateTransaction) throws {
        // The DN may come back in the other string form (the Java connector escapes `SSIN=`):
        // the same DN, and otherwise the same contract.
        for candidate in try state.contracts(.certificate, sameNameAs: contract.dn) {
            var issued = try candidate.contract()
            issued.dn = contract.dn
            if issued == contract { return }
        }
        throw EHealthFailure("CONTRACT_NOT_VALID", "the Contract is not one generateContract issued for \(contract.dn), or it was modified: send it back exactly as received")
    }

    func generateRevocationContract(_ request: GenerateRevocationContractRequestType, _ signer: Signer?, _ header: ResponseHeader) async throws -> GenerateRevocationContractResponseType {
        let key = request.publicKeyIdentifier.value.xmlText
        let now = self.now
        let contract: RevocationContractType = try await store.transaction { state in
            guard let certificate = try state.certificate(key) else {
                throw EHealthFailure("AUTH_CERT_NOT_FOUND", "no certificate with PublicKeyIdentifier \(key)")
            }
            let name = (request.signer.firstName + [request.signer.name]).joined(separator: " ")
            let french = "<!DOCTYPE html><html lang=\"fr\"><body><h1>Révocation d'un certificat eHealth</h1><p>Je soussigné(e), \(Self.escapeHTML(name)), demande la révocation du certificat <strong>\(Self.escapeHTML(certificate.dn))</strong> et de son ETK (motif : \(request.revocationReason.rawValue)).</p></body></html>"
            let dutch = "<!DOCTYPE html><html lang=\"nl\"><body><h1>Intrekking van een eHealth-certificaat</h1><p>Ondergetekende, \(Self.escapeHTML(name)), vraagt de intrekking van het certificaat <strong>\(Self.escapeHTML(certificate.dn))</strong> en zijn ETK (reden: \(request.revocationReason.rawValue)).</p></body></html>"
            let contract = RevocationContractType(dn: certificate.dn, signer: request.signer, revocationReason: request.revocationReason,
                                                  text: Self.text(french: french, dutch: dutch))
            try state.insert(StoredContract(contract, id: Self.newID(), issuedAt: now))
            return contract
        }
        return GenerateRevocationContractResponseType(id: header.id, inResponseTo: header.inResponseTo, issueInstant: header.issueInstant,
                                                      status: EHealthFailure.success, contract: contract)
    }

    static func checkRevocationContractUnmodified(_ contract: RevocationContractType, in state: StateTransaction) throws {
        for candidate in try state.contracts(.revocation, sameNameAs: contract.dn) where candidate.dn == contract.dn {
            if try candidate.revocationContract() == contract { return }
        }
        throw EHealthFailure("CONTRACT_NOT_VALID", "the revocation Contract is not one generateRevocationContract issued, or it was modified")
    }
}
