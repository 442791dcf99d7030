import _CryptoExtras
import Foundation
import Generated
import Security
import SOAPRuntime
import X509

/// Cookbook 4.3.4 steps 8-9: validation, and getCertificate polling through CERT_NOT_YET_DELIVERED.
extension CreateETKFlow {
    func stepsCertificateDelivery(_ context: RunContext, secrets: FlowSecrets, keystorePassword: String) async throws -> SoftwareSigningKey {
        guard let privateKey = try secrets.authenticationKey else { throw inconsistent("the pending authentication key is missing from secrets.p12") }
        if let chainData = journal.certificateChain {
            let chain = try chainData.map { try Certificate(derEncoded: Array($0)) }
            context.progress(.stepAlreadyDone(Step.awaitValidation, detail: "validated"))
            context.progress(.stepAlreadyDone(Step.getCertificate, detail: "certificate \(chain[0].subject) delivered"))
            // The keystore is written before the chain is recorded; writing it again is harmless.
            try writeAuthenticationKeystore(privateKey: privateKey, chain: chain, password: keystorePassword)
            return try signingKey(privateKey, chain: chain)
        }
        guard let identifierHex = journal.publicKeyIdentifier, let distinguishedName = journal.distinguishedName else { throw inconsistent("no CSR before step 9") }

        let manual = journal.automaticallyValidated == false
        if let validationURL = journal.validationURL {
            context.progress(.stepStarted(FlowStep.Foreigner.awaitConfirmation))
            context.progress(.stepFinished(FlowStep.Foreigner.awaitConfirmation,
                                           detail: "the person confirms on \(validationURL)" + (journal.validationExpiresAt.map { " before \(Self.day($0))" } ?? "")))
        } else {
            context.progress(.stepStarted(Step.awaitValidation))
            context.progress(.stepFinished(Step.awaitValidation, detail: manual
                ? "manual validation: the eHealth platform e-mails \(journal.request.contact.email) when the certificate is ready"
                : "validated automatically; the certificate is being issued"))
        }

        context.progress(.stepStarted(Step.getCertificate))
        let identifier = try Generated.PublicKeyIdentifier(HexBinary(Data(try Security.PublicKeyIdentifier(hex: identifierHex).bytes)))
        let client = context.client
        let polling = context.settings.polling
        let sleeper = context.settings.sleeper
        let started = sleeper.now
        var attempt = 1
        let response: GetCertificateResponseType
        while true {
            do {
                response = try await waitingUntilValid(context) {
                    try await client.call(.getCertificate) {
                        try await client.certRA.getCertificate(GetCertificateRequestType(issueInstant: .now, publicKeyIdentifier: identifier))
                    }
                }
                break
            } catch let error as CertManagerError where error.code.rawValue == EHealthStatusError.notYetDeliveredCode {
                try checkValidationLinkNotExpired(at: sleeper.now)
                let delay = polling.backoff.delay(afterAttempt: attempt)
                let waited = sleeper.now.timeIntervalSince(started)
                // A foreigner's flow resumed after the submission polls: the person confirms within
                // minutes, unlike an operator's validation.
                let foreignerMayHaveConfirmed = journal.validationURL != nil && !submittedInThisRun
                let mayWait = !manual || polling.pollsDuringManualValidation || foreignerMayHaveConfirmed
                if !mayWait || polling.maximumWait.map({ waited + delay.seconds > $0.seconds }) == true {
                    throw CertManagerError(error.code, .pending,
                                           reason: "the certificate is not delivered yet (\(attempt) attempt\(attempt == 1 ? "" : "s"))",
                                           advice: journal.validationURL.map { url in
                                               "The person must open \(url)" + (journal.validationExpiresAt.map { " before \(Self.day($0))" } ?? "")
                                                   + ", sign in with the eHealth IDP and confirm; then run `resume`."
                                           } ?? (manual
                                               ? "An operator must validate the request first; run `resume` after the platform's e-mail to \(journal.request.contact.email)."
                                               : "Run `resume` later; nothing needs to be done again."),
                                           operation: error.operation)
                }
                context.progress(.certificateNotYetDelivered(attempt: attempt, nextAttempt: sleeper.now.addingTimeInterval(delay.seconds)))
                do { try await sleeper.sleep(for: delay) } catch { throw CertManagerError(error, operation: PlatformOperation.getCertificate.qualifiedName) }
                attempt += 1
            }
        }

        let chain = try await deliveredChain(response.x509Certificate, privateKey: privateKey, contractDN: distinguishedName,
                                             trust: context.settings.connection.eHealthRoots, platformTime: response.issueInstant.date,
                                             progress: context.progress)
        try writeAuthenticationKeystore(privateKey: privateKey, chain: chain, password: keystorePassword)
        try record { $0.certificateChain = try chain.map { Data(try $0.derBytes()) } }
        context.progress(.stepFinished(Step.getCertificate, detail: "certificate serial \(Keystore.alias(forSerialNumber: chain[0].serialNumber)), valid until \(Self.day(chain[0].notValidAfter)); keystore \(journal.keystoreFile.path) with `authentication`"))
        return try signingKey(privateKey, chain: chain)
    }

    /// The delivered certificates ordered leaf first, checked to be for our key and the contract's
    /// DN, valid now, for digital signatures (and client authentication where the certificate
    /// has extended key usages), and chained by `CertificateTrust` to the eHealth roots in
    /// `trust`. Nothing is stored before this passes.
    ///
    /// "Now" is the later of this machine's clock and the platform's (the answer's IssueInstant):
    /// a certificate expired by our clock is refused, and one issued by a platform whose clock
    /// runs ahead of ours (skew, or the sandbox's --clock-offset-days) is not taken for one
    /// with wrong dates. A certificate that starts at most `maximumIssuanceSkew` after that is
    /// judged at its start; one further ahead is refused as not yet valid.
    func deliveredChain(_ certificates: [Data], privateKey: _RSA.Signing.PrivateKey, contractDN: String,
                        trust roots: [URL], platformTime: Date? = nil, progress: FlowProgress) async throws -> [Certificate] {
        let operation = PlatformOperation.getCertificate.qualifiedName
        let parsed: [Certificate]
        do {
            parsed = try certificates.map { try Certificate(derEncoded: Array($0)) }
        } catch {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "getCertificate returned a certificate that cannot be read: \(error)",
                                   advice: "Try again later (`resume`).", operation: operation)
        }
        let ourKey = Certificate.PublicKey(privateKey.publicKey)
        guard let leaf = parsed.first(where: { $0.publicKey == ourKey }) else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "getCertificate returned no certificate for this flow's key",
                                   advice: "Report it to the eHealth service desk.", operation: operation)
        }
        guard let subject = try? EHealthDistinguishedName(leaf.subject), let expected = try? EHealthDistinguishedName(contractDN), subject == expected else {
            throw CertManagerError(.unexpectedAnswer, .protocolViolation, reason: "the delivered certificate is for \(leaf.subject), not the contract's \(contractDN)",
                                   advice: "Report it to the eHealth service desk.", operation: operation)
        }
        let others = parsed.filter { $0 != leaf }
        let trust: CertificateTrust
        if roots.isEmpty {
            // Without anchors the chain's own top is taken as root: dates, usage and structure
            // are still checked, trust is not, and the person is told how to have it checked.
            let top = IssuerChain.build(from: leaf, pool: others, requireSignature: true).last!
            trust = CertificateTrust(roots: [top])
            progress(.notice("warning: no eHealth trust anchors are configured for this environment, so the delivered certificate's chain is not checked against them; give --ehealth-root PEM (or \"ehealth-roots\" in the configuration file)"))
        } else {
            trust = try Self.eHealthTrust(roots)
        }
        do {
            var now = max(Date(), platformTime ?? .distantPast)
            // A certificate the CA dated a little ahead of both clocks (the CA's clock ahead, right
            // after delivery) is judged at the moment it becomes valid: the platform then answers
            // *_NOT_YET_VALID, and the flow waits for that date rather than losing the certificate.
            if leaf.notValidBefore > now, leaf.notValidBefore.timeIntervalSince(now) <= Self.maximumIssuanceSkew {
                progress(.notice("the delivered certificate is valid from \(Self.moment(leaf.notValidBefore)), a little ahead of this machine's clock"))
                now = leaf.notValidBefore
            }
            return try await trust.validate(leaf, intermediates: others, validity: .at(now), usage: .eHealthAuthentication)
        } catch let error as SecurityError {
            throw CertManagerError(.untrustedCertificate, .protocolViolation,
                                   reason: "the delivered certificate is refused: \(error.reason)",
                                   advice: "Nothing was stored. Check --ehealth-root for this environment; if it is right, report it to the eHealth service desk, then `resume`.",
                                   operation: operation)
        }
    }

    /// How far ahead of our clock a delivered certificate may start and still be accepted.
    static let maximumIssuanceSkew: TimeInterval = 24 * 3600

    func signingKey(_ privateKey: _RSA.Signing.PrivateKey, chain: [Certificate]) throws -> SoftwareSigningKey {
        var belowRoot = chain
        while belowRoot.count > 1, let last = belowRoot.last, last.subject == last.issuer { belowRoot.removeLast() }
        do { return try SoftwareSigningKey(key: .rsa(privateKey), certificateChain: belowRoot) } catch { throw CertManagerError(error) }
    }

    /// The eHealth trust anchors of the configured PEM bundles.
    static func eHealthTrust(_ files: [URL]) throws -> CertificateTrust {
        do {
            return try CertificateTrust(pemFiles: files)
        } catch let error as SecurityError {
            throw CertManagerError(.init(error.code.rawValue), .configuration, reason: error.reason,
                                   advice: "Give a PEM bundle of the environment's eHealth root CAs with --ehealth-root (or \"ehealth-roots\" in the configuration file).")
        }
    }

    /// A foreigner's request not confirmed before its validation link expired (submitCSRForForeigner's
    /// ExpirationDate, recorded in the journal) never will be: said at once rather than after
    /// polling for the whole --max-wait. A request confirmed in time is still delivered, so this
    /// is asked only after getCertificate answered CERT_NOT_YET_DELIVERED.
    func checkValidationLinkNotExpired(at now: Date) throws {
        guard let url = journal.validationURL, let expires = journal.validationExpiresAt, now >= expires else { return }
        throw CertManagerError(.validationLinkExpired, .refused,
                               reason: "the person did not confirm the request on \(url) before it expired (\(Self.moment(expires)))",
                               advice: "This request can no longer be confirmed: start a new one (`ehcert foreigner ...`), and confirm it on the new link in time.",
                               operation: PlatformOperation.getCertificate.qualifiedName)
    }
}

extension CertManagerError.Code {
    /// A foreigner's validation link expired before the person confirmed the request.
    public static let validationLinkExpired = Self("VALIDATION_LINK_EXPIRED")
}
