import Foundation
import Generated
import Security

/// Cookbook 4.3.7: a foreigner's key pair, CSR and submitCSRForForeigner, which replace steps 1-7.
extension CreateETKFlow {
    /// The key pair and the CSR for the foreigner's DN (the key stored before anything is sent),
    /// then submitCSRForForeigner, unsigned: the person confirms on the validation page instead.
    func stepsForeignerRequest(_ context: RunContext, secrets: inout FlowSecrets) async throws {
        guard let foreigner = journal.foreigner else { throw inconsistent("not a foreigner's flow") }
        for step in [Step.signActorQualities, Step.getActorQualities, Step.getGenericOrganizationTypes, Step.getExistingApplicationIds, Step.generateContract] {
            context.progress(.stepSkipped(step, reason: "a foreigner has no Belgian eID: the validation page replaces the eID and the contract"))
        }
        if journal.certificateRequestAcceptedAt != nil {
            context.progress(.stepAlreadyDone(FlowStep.Foreigner.prepareCertificateRequest, detail: "CSR with PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?")"))
            context.progress(.stepAlreadyDone(FlowStep.Foreigner.submitCSRForForeigner, detail: "validation page \(journal.validationURL ?? "?")"))
            return
        }
        try Task.checkCancellation()
        let prepare = FlowStep.Foreigner.prepareCertificateRequest
        context.progress(.stepStarted(prepare))
        let csr: Data
        if let recorded = journal.csr {
            csr = recorded
        } else {
            let key = try secrets.authenticationKey ?? {
                let key = try EHealthCertificateSigningRequest.generatePrivateKey()
                try secrets.storeAuthenticationKey(key)
                return key
            }()
            let name = ([foreigner.lastName] + foreigner.firstNames).joined(separator: " ")
            let request: EHealthCertificateSigningRequest
            let distinguishedName: EHealthDistinguishedName
            do {
                distinguishedName = try EHealthDistinguishedName.Builder().person(ssin: foreigner.bis).name(name).build()
                request = try EHealthCertificateSigningRequest(subject: distinguishedName, privateKey: key)
            } catch {
                throw CertManagerError(error).asInvalidInput
            }
            csr = Data(request.derEncoded)
            let identifier = try request.publicKeyIdentifier.hex
            try record {
                $0.csr = csr
                $0.publicKeyIdentifier = identifier
                $0.foreignerDistinguishedName = distinguishedName.description
                $0.keystoreFileName = $0.keystoreFileName ?? $0.proposedKeystoreFileName()
            }
        }
        context.progress(.stepFinished(prepare, detail: "RSA 2048 key stored, CSR for \(journal.foreignerDistinguishedName ?? "?") (PublicKeyIdentifier \(journal.publicKeyIdentifier ?? "?"))"))

        let submit = FlowStep.Foreigner.submitCSRForForeigner
        try Task.checkCancellation()
        context.progress(.stepStarted(submit))
        let sentBefore = journal.certificateRequestSentAt != nil
        try record { $0.certificateRequestSentAt = Date() }
        let request = SubmitCSRForForeignerRequestType(issueInstant: .now, foreignPerson: try ownerActor(signer: EIDHolder(ssin: foreigner.bis, firstNames: "", lastName: foreigner.lastName)),
                                                       contactData: contactData, csr: csr)
        let client = context.client
        do {
            let response = try await client.call(.submitCSRForForeigner) { try await client.certRA.submitCSRForForeigner(request) }
            guard let url = response.validationUrl else {
                throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "submitCSRForForeigner answered Success without a ValidationUrl",
                                       advice: "Report it to the eHealth service desk.", operation: PlatformOperation.submitCSRForForeigner.qualifiedName)
            }
            submittedInThisRun = true
            try record {
                $0.certificateRequestAcceptedAt = Date()
                $0.automaticallyValidated = false
                $0.validationURL = url
                $0.validationExpiresAt = response.expirationDate?.date
            }
            context.progress(.stepFinished(submit, detail: "validation page \(url)" + (journal.validationExpiresAt.map { ", to confirm before \(Self.day($0))" } ?? "")))
        } catch let error as CertManagerError where sentBefore && Self.alreadySubmittedCodes.contains(error.code.rawValue) {
            // The earlier submission reached the platform but its answer, and so the link, was
            // lost. Nothing recovers it: the link is only in that answer (cookbook 4.3.7.1), no
            // operation gives it again, and the platform's e-mail comes only after the person has
            // confirmed on it; polling getCertificate would wait for a confirmation that cannot come.
            throw CertManagerError(error.code, .refused,
                                   reason: "this CSR was submitted by an earlier run whose answer, with the validation link, was lost; the platform gives the link only in that answer",
                                   advice: "Start a new foreigner request (`ehcert foreigner ...`: a new key and CSR, and a new link); the lost request expires unconfirmed.",
                                   operation: PlatformOperation.submitCSRForForeigner.qualifiedName)
        }
    }
}
