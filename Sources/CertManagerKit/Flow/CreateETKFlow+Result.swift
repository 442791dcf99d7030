import Foundation
import Security
import X509

/// What a finished flow reports, from its journal.
extension CreateETKFlow {
    /// The steps of a finished flow, as its journal records them.
    func replayRecordedSteps(_ progress: FlowProgress) {
        let identifier = journal.publicKeyIdentifier ?? "?"
        for step in Step.all {
            let detail: String?
            switch step.number {
            case 1: detail = journal.signer.map { "signed by \($0.fullName)" }
            case 2: detail = journal.actorQualities.map(describe)
            case 3: detail = journal.organizationRule.map { "\($0.identifierType) (\($0.name()))" }
            case 4: detail = journal.existingApplicationIDs != nil ? "\(journal.organization?.applicationID ?? "") was free" : nil
            case 5: detail = journal.contract.map { "contract for \($0.distinguishedName) accepted" }
            case 6: detail = "CSR with PublicKeyIdentifier \(identifier)"
            case 7: detail = "PublicKeyIdentifier \(identifier)"
            case 8: detail = journal.automaticallyValidated == false ? "validated by an operator" : "validated automatically"
            case 9: detail = "certificate delivered; keystore \(journal.keystoreFile.path)"
            case 10: detail = "RSA 2048 encryption key"
            case 11: detail = "challenge answered"
            case 12: detail = (try? journal.encryptionCertificate.map { try EncryptionCertificate(derEncoded: $0).keystoreAlias }).flatMap { $0 }.map { "serial number \($0)" }
            default: detail = journal.etk != nil ? "ETK saved as \(journal.etkFile.path)" : "ETK registered (no copy saved)"
            }
            if let detail {
                progress(.stepAlreadyDone(step, detail: detail))
            } else {
                progress(.stepSkipped(step, reason: journal.isOrganization ? "no application id requested" : "not needed for a natural person"))
            }
        }
    }

    func result() throws -> CreateETKResult {
        guard let chainData = journal.certificateChain, let leafData = chainData.first, let certificateData = journal.encryptionCertificate,
              let distinguishedName = journal.distinguishedName else { throw inconsistent("the flow is finished but its journal is incomplete") }
        let authentication = try Certificate(derEncoded: Array(leafData))
        let encryption = try EncryptionCertificate(derEncoded: certificateData)
        let etk = try journal.etk.map { try ETK(derEncoded: $0) }
        var result = CreateETKResult(flowID: id, keystoreFile: journal.keystoreFile, etkFile: etk == nil ? nil : journal.etkFile,
                                     distinguishedName: (try? EHealthDistinguishedName(distinguishedName).description) ?? distinguishedName,
                                     authenticationCertificate: authentication,
                                     encryptionKeyAlias: encryption.keystoreAlias, etk: etk)
        result.etkToBeActivated = journal.etkToBeActivated ?? false
        result.replacesCertificate = journal.replacesCertificate
        result.keptEncryptionKeyAliases = journal.keptEncryptionKeyAliases ?? []
        return result
    }
}
