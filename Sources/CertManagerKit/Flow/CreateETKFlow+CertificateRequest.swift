import Foundation
import Generated
import Security
import SOAPRuntime
import X509

/// Cookbook 4.3.4 steps 6-7: key pair and CSR with the contract's DN, signed with the eID
/// Signature key, and generateCertificate.
extension CreateETKFlow {
    func stepCertificateRequest(_ context: RunContext, secrets: inout FlowSecrets) async throws -> GenerateCertificateRequestType? {
        if journal.certificateRequestAcceptedAt != nil {
            context.progress(.stepAlreadyDone(Step.prepareCertificateRequest, detail: "CSR with PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")"))
            return nil
        }
        guard let contract = journal.contract else { throw inconsistent("no contract before step 6") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.prepareCertificateRequest))
        let csr: Data
        if let recorded = journal.csr {
            csr = recorded
        } else {
            // A key stored by a run that stopped before recording its CSR is used again.
            let key = try secrets.authenticationKey ?? {
                let key = try EHealthCertificateSigningRequest.generatePrivateKey()
                try secrets.storeAuthenticationKey(key)
                return key
            }()
            let request: EHealthCertificateSigningRequest
            do {
                // The CSR's subject is exactly the contract's DN (cookbook 4.3.4.5).
                request = try EHealthCertificateSigningRequest(contractDistinguishedName: contract.distinguishedName,
                                                               privateKey: Certificate.PrivateKey(key))
            } catch {
                throw CertManagerError(error)
            }
            csr = Data(request.derEncoded)
            let identifier = try request.publicKeyIdentifier.hex
            try record {
                $0.csr = csr
                $0.publicKeyIdentifier = identifier
            }
        }
        let key = try await context.eID.signatureKey()
        var returnedContract = try contract.contractType()
        returnedContract.dn = ContractDistinguishedName.normalized(returnedContract.dn, identifierType: journal.contractIdentifierType)
        let request = GenerateCertificateRequestType(
            issueInstant: .now,
            eHealthCSR: EHealthCertificateSigningRequestType(contactData: contactData, csr: csr, contract: returnedContract,
                                                             baseServiceUsage: journal.request.baseServiceUsage),
            signature: .placeholder)
        let signed = try await context.client.sign(request, with: key)
        context.progress(.stepFinished(Step.prepareCertificateRequest,
                                       detail: "RSA 2048 key, CSR for \(contract.distinguishedName) (PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")), signed with the eID Signature key"))
        return signed
    }

    // MARK: - Step 7: generateCertificate

    /// Codes by which the platform says it already has this CSR: a request sent by an earlier
    /// run reached it, so the flow continues with polling.
    static let alreadySubmittedCodes: Set<String> = ["CSR_PUB_KEY_NOT_UNIQUE", "CSR_ALREADY_VALIDATED"]

    func stepGenerateCertificate(_ context: RunContext, signedRequest: GenerateCertificateRequestType?) async throws {
        if journal.certificateRequestAcceptedAt != nil {
            let validation = journal.automaticallyValidated.map { $0 ? "validated automatically" : "manual validation" } ?? "accepted"
            context.progress(.stepAlreadyDone(Step.generateCertificate, detail: "PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?"), \(validation)"))
            return
        }
        guard let signedRequest, let expected = journal.publicKeyIdentifier else { throw inconsistent("no signed request at step 7") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.generateCertificate))
        let sentBefore = journal.certificateRequestSentAt != nil
        try record { $0.certificateRequestSentAt = Date() }
        let client = context.client
        do {
            let response = try await client.call(.generateCertificate) { try await client.certRA.generateCertificate(signedRequest) }
            // The platform accepted a request that cannot be sent again: whatever it answers is
            // recorded, and its PublicKeyIdentifier is the one to poll with (as the Java connector
            // does); a different value than ours is worth a warning, never a stop.
            let answered = try response.publicKeyIdentifier.map { try Security.PublicKeyIdentifier(bytes: Array($0.value.bytes)).hex }
            let differs = answered.map { $0 != expected.uppercased() } ?? false
            let replaces = response.replacesCertificate.map { HexBinary($0.value.bytes).xmlText }
            try record {
                $0.certificateRequestAcceptedAt = Date()
                $0.automaticallyValidated = response.automaticallyValidated
                $0.replacesCertificate = replaces
                if differs, let answered {
                    $0.computedPublicKeyIdentifier = expected
                    $0.publicKeyIdentifier = answered
                    $0.notes.append(Self.identifierMismatchWarning(platform: answered, ours: expected))
                }
            }
            if differs, let answered {
                context.progress(.notice("warning: " + Self.identifierMismatchWarning(platform: answered, ours: expected)))
            }
            if let replacing = journal.request.replacing, replaces?.uppercased() != replacing.publicKeyIdentifier.uppercased() {
                context.progress(.notice("the platform did not say this request replaces \(replacing.publicKeyIdentifier) (ReplacesCertificate: \(replaces ?? "none"))"))
            }
            var validation = response.automaticallyValidated.map { $0 ? "validated automatically" : "manual validation: an operator must approve it" } ?? "accepted"
            if let replaces { validation += "; replaces the certificate \(replaces)" }
            context.progress(.stepFinished(Step.generateCertificate, detail: "PublicKeyIdentifier \(journal.publicKeyIdentifier ?? expected), \(validation)"))
        } catch let error as CertManagerError where Self.alreadySubmittedCodes.contains(error.code.rawValue) {
            // The key was made by this flow and never left it, so the platform can only know it
            // from our own request: an earlier run's whose answer was lost, or (with sentBefore
            // false) a copy some layer below us sent again.
            try record { $0.certificateRequestAcceptedAt = Date() }
            let when = sentBefore ? "in an earlier run" : "by a repeated copy of this request"
            context.progress(.stepFinished(Step.generateCertificate, detail: "already submitted \(when) (\(error.code)); PublicKeyIdentifier \(expected)"))
        }
    }

    static func identifierMismatchWarning(platform: String, ours: String) -> String {
        "generateCertificate answered the PublicKeyIdentifier \(platform), not \(ours) as computed from the CSR (RFC 5280 method 1); the platform's value is used from now on"
    }
}
