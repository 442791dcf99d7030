import _CryptoExtras
import Foundation
import Generated
import Security
import X509

/// Cookbook 4.3.4 steps 10-13: the encryption key, startETKRegistration, the challenge, the
/// encryption certificate and completeETKRegistration.
extension CreateETKFlow {
    func stepEncryptionKey(_ context: RunContext, secrets: inout FlowSecrets) throws -> _RSA.Encryption.PrivateKey {
        if journal.encryptionPublicKey != nil, let key = try secrets.encryptionKey {
            context.progress(.stepAlreadyDone(Step.prepareETKRegistration, detail: "RSA 2048 encryption key"))
            return key
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.prepareETKRegistration))
        let key = try secrets.encryptionKey ?? {
            let key = try EncryptionCertificate.generatePrivateKey()
            try secrets.storeEncryptionKey(key)
            return key
        }()
        try record { $0.encryptionPublicKey = key.publicKey.derRepresentation }
        context.progress(.stepFinished(Step.prepareETKRegistration, detail: "RSA 2048 encryption key, stored before registering it"))
        return key
    }

    // MARK: - Steps 11-13: the ETK registration

    /// Steps 11 to 13, and the recovery when a completeETKRegistration sent by an earlier run may
    /// have been handled without its answer arriving: the platform then says the encryption key
    /// is no longer pending (PUBLIC_KEY_NOT_YET_REGISTERED) or the ETK exists
    /// (VALID_ETK_ALREADY_EXISTS). A new startETKRegistration tells which: a new challenge (the
    /// registration is done again with the same encryption key), or VALID_ETK_ALREADY_EXISTS (it
    /// was registered; only the copy of the ETK is lost).
    func stepsETKRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                      encryptionKey: _RSA.Encryption.PrivateKey, keystorePassword: String) async throws {
        for round in 1...2 {
            let registered = try await stepStartRegistration(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            if registered { break }
            try await stepEncryptionCertificate(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            let outcome = try await stepCompleteRegistration(context, authenticationKey: authenticationKey, encryptionKey: encryptionKey)
            if outcome != .startAgain { break }
            guard round == 1 else {
                throw CertManagerError(.unexpectedAnswer, .refused, reason: "the ETK registration was started again and still did not complete",
                                       advice: "Contact the eHealth service desk.", operation: PlatformOperation.completeETKRegistration.qualifiedName)
            }
        }
        try finishKeystore(context, encryptionKey: encryptionKey, keystorePassword: keystorePassword)
    }

    /// Returns true when the platform says the ETK was registered by an earlier run.
    func stepStartRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                       encryptionKey: _RSA.Encryption.PrivateKey) async throws -> Bool {
        if journal.etk != nil || journal.etkRegisteredWithoutCopy {
            context.progress(.stepAlreadyDone(Step.startETKRegistration, detail: "challenge received"))
            return false
        }
        if journal.challenge != nil {
            context.progress(.stepAlreadyDone(Step.startETKRegistration, detail: "challenge received"))
            return false
        }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.startETKRegistration))
        let client = context.client
        let response: StartETKRegistrationResponseType
        do {
            // Signed again on each attempt: a wait for the certificate's validity takes a while.
            response = try await waitingUntilValid(context) {
                let request = try await context.client.sign(
                    StartETKRegistrationRequestType(issueInstant: .now, publicEncryptionKey: encryptionKey.publicKey.derRepresentation, signature: .placeholder),
                    with: authenticationKey)
                return try await client.call(.startETKRegistration) { try await client.etkRA.startETKRegistration(request) }
            }
        } catch let error as CertManagerError where error.code.rawValue == "VALID_ETK_ALREADY_EXISTS" && journal.completionSentAt != nil {
            try recordRegisteredWithoutCopy(context)
            context.progress(.stepFinished(Step.startETKRegistration, detail: "the ETK was registered by an earlier run"))
            return true
        }
        guard let challenge = response.challenge else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "startETKRegistration answered Success without a challenge",
                                   advice: "Try again (`resume`).", operation: PlatformOperation.startETKRegistration.qualifiedName)
        }
        try record {
            $0.challenge = challenge
            // A new challenge means a new serial number: the encryption certificate is made again.
            $0.encryptionCertificate = nil
            $0.completionSentAt = nil
        }
        context.progress(.stepFinished(Step.startETKRegistration, detail: "challenge of \(challenge.count) bytes received"))
        return false
    }

    // MARK: Step 12: encryption certificate

    func stepEncryptionCertificate(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                           encryptionKey: _RSA.Encryption.PrivateKey) async throws {
        if let recorded = journal.encryptionCertificate {
            let certificate = try EncryptionCertificate(derEncoded: recorded)
            context.progress(.stepAlreadyDone(Step.createEncryptionCertificate, detail: "serial number \(certificate.keystoreAlias)"))
            return
        }
        guard let challengeBytes = journal.challenge else { throw inconsistent("no challenge at step 12") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.createEncryptionCertificate))
        let challenge: Challenge
        do {
            challenge = try Challenge(challengeBytes, encryptionKey: encryptionKey)
        } catch {
            // A challenge that does not verify is rejected; the next run asks for a new one.
            try record { $0.challenge = nil }
            throw CertManagerError(error, operation: PlatformOperation.startETKRegistration.qualifiedName)
        }
        let certificate: EncryptionCertificate
        do {
            let publicKey = Certificate.PublicKey(try _RSA.Signing.PublicKey(derRepresentation: encryptionKey.publicKey.derRepresentation))
            certificate = try await EncryptionCertificate(challenge: challenge, encryptionPublicKey: publicKey,
                                                          authenticationKey: authenticationKey)
        } catch {
            throw CertManagerError(error)
        }
        try record { $0.encryptionCertificate = Data(certificate.derEncoded) }
        context.progress(.stepFinished(Step.createEncryptionCertificate, detail: "serial number \(certificate.keystoreAlias) from the challenge, signed with the eHealth authentication key"))
    }

    // MARK: Step 13: completeETKRegistration

    enum CompletionOutcome: Equatable {
        case registered
        /// An earlier run's completion may have been handled: start the registration again.
        case startAgain
    }

    /// Codes by which completeETKRegistration, repeated, says the pending registration is gone.
    static let registrationGoneCodes: Set<String> = ["PUBLIC_KEY_NOT_YET_REGISTERED", "AUTH_CERT_NOT_FOUND"]

    func stepCompleteRegistration(_ context: RunContext, authenticationKey: SoftwareSigningKey,
                                          encryptionKey: _RSA.Encryption.PrivateKey) async throws -> CompletionOutcome {
        if journal.etk != nil || journal.etkRegisteredWithoutCopy {
            context.progress(.stepAlreadyDone(Step.completeETKRegistration, detail: "ETK registered"))
            return .registered
        }
        guard let certificateData = journal.encryptionCertificate else { throw inconsistent("no encryption certificate at step 13") }
        try Task.checkCancellation()
        context.progress(.stepStarted(Step.completeETKRegistration))
        let request = try await context.client.sign(
            CompleteETKRegistrationRequestType(issueInstant: .now, toBeRegistered: certificateData),
            with: authenticationKey)
        let sentBefore = journal.completionSentAt != nil
        try record { $0.completionSentAt = Date() }
        let client = context.client
        let response: CompleteETKRegistrationResponseType
        do {
            response = try await client.call(.completeETKRegistration) { try await client.etkRA.completeETKRegistration(request) }
        } catch let error as CertManagerError where sentBefore && error.code.rawValue == "VALID_ETK_ALREADY_EXISTS" {
            try recordRegisteredWithoutCopy(context)
            return .registered
        } catch let error as CertManagerError where sentBefore && Self.registrationGoneCodes.contains(error.code.rawValue) {
            try record { $0.challenge = nil }
            context.progress(.notice("completeETKRegistration was sent before and the registration is no longer pending (\(error.code)): starting it again"))
            return .startAgain
        }
        guard let etkData = response.etk else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "completeETKRegistration answered Success without an ETK",
                                   advice: "Try again (`resume`).", operation: PlatformOperation.completeETKRegistration.qualifiedName)
        }
        let etk: ETK
        do { etk = try ETK(derEncoded: etkData) } catch { throw CertManagerError(error, operation: PlatformOperation.completeETKRegistration.qualifiedName) }
        guard etk.hasEncryptionKey(encryptionKey) else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the returned ETK is not for this flow's encryption key",
                                   advice: "Report it to the eHealth service desk.", operation: PlatformOperation.completeETKRegistration.qualifiedName)
        }
        // The ETK-RA's chain, against the same eHealth anchors as the delivered certificate.
        if !context.settings.connection.eHealthRoots.isEmpty {
            do {
                try await etk.validateSigner(with: try Self.eHealthTrust(context.settings.connection.eHealthRoots))
            } catch let error as SecurityError {
                throw CertManagerError(.init(error.code.rawValue), .protocolViolation, reason: error.reason,
                                       advice: "The ETK is not kept. Check --ehealth-root for this environment; if it is right, report it to the eHealth service desk.",
                                       operation: PlatformOperation.completeETKRegistration.qualifiedName)
            }
        }
        // Recorded at once: the ETK cannot be asked for again.
        try record {
            $0.etk = etkData
            $0.etkToBeActivated = response.toBeActivated
        }
        if response.toBeActivated == true {
            context.progress(.notice("the ETK replaces an existing one: it must be activated (activateETK) before it is used"))
        }
        context.progress(.stepFinished(Step.completeETKRegistration, detail: "ETK received, encryption certificate serial \(etk.encryptionCertificate.keystoreAlias)"))
        return .registered
    }

    func recordRegisteredWithoutCopy(_ context: RunContext) throws {
        try record {
            $0.etkRegisteredWithoutCopy = true
            $0.notes.append("the ETK was registered by an earlier run whose answer was lost")
        }
        context.progress(.notice("the ETK was registered by an earlier run whose answer was lost; the keystore is complete, but no copy of the ETK could be saved"))
    }
}
