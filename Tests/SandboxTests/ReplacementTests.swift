import Foundation
import Generated
import Sandbox
import Security
import SOAPRuntime
import Testing
import X509

/// Replacing an ETK (cookbook 4.3.5): Replaceable inside the replacement period, a new
/// certificate with exactly the same DN, its ETK waiting for activation, activateETK.
@Suite struct ReplacementTests {
    static let lifetime: TimeInterval = 3 * 365 * 86_400
    static let period: TimeInterval = 90 * 86_400

    /// The default lifetime and period, with the clock moved to one day into the period.
    static func insideThePeriod() -> SandboxConfiguration {
        SandboxConfiguration(deliveryDelay: 0, clockOffset: lifetime - period + 86_400, certificateLifetime: lifetime, replacementPeriod: period)
    }

    @Test func aCertificateInItsReplacementPeriodIsReplacedAndTheNewETKActivated() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: Self.lifetime, replacementPeriod: Self.period)) { today in
            let jean = try today.citizen(Sandboxed.jean)
            let old = try await today.obtainCertificate(for: jean)
            _ = try await today.registerETK(old)
            let fresh = try await today.certificateInfo(old)
            #expect(fresh.replaceable == false)
            let notAfter = old.certificate.notValidAfter
            #expect(fresh.authenticationCertificateDetails?.validNotAfter.date.timeIntervalSince(notAfter).magnitude ?? 2 < 1)
            #expect(fresh.replacementPeriodStartDate?.date.timeIntervalSince(notAfter.addingTimeInterval(-Self.period)).magnitude ?? 2 < 1)

            // 2 years and 9 months later.
            let later = try await today.restarted(Self.insideThePeriod())
            let due = try await later.certificateInfo(old)
            #expect(due.replaceable == true)
            #expect(due.authenticationCertificateStatus == .validActive)
            #expect(due.etkStatus == .validActive)
            #expect(due.replacementPeriodStartDate?.date.timeIntervalSince(notAfter.addingTimeInterval(-Self.period)).magnitude ?? 2 < 1)

            // Exactly the same DN: the contract gives it again.
            let replacement = try await later.obtainCertificate(for: jean)
            #expect(replacement.contract.dn == old.contract.dn)
            #expect(replacement.certificate.subject == old.certificate.subject)
            #expect(replacement.generated.replacesCertificate == old.publicKeyIdentifier)

            let registered = try await later.registerETK(replacement)
            #expect(registered.response.toBeActivated == true)
            #expect(try await later.certificateInfo(replacement).etkStatus == .waitForActivation)
            #expect(try await later.certificateInfo(old).etkStatus == .validActive, "the old ETK stays in use until the activation")

            let activated = try await later.etkRA.activateETK(try await Self.activateRequest(signedWith: replacement))
            #expect(activated.status.statusCode.value == EHealthStatus.successCode)
            #expect(try await later.certificateInfo(replacement).etkStatus == .validActive)
            #expect(try await later.certificateInfo(old).etkStatus == .expired, "only one encryption certificate is active (cookbook 4.3.5.2)")

            await expectRefusal("RENEW_ACTIVATION_ETK_ALREADY_ACTIF") {
                try await later.etkRA.activateETK(try await Self.activateRequest(signedWith: replacement))
            }
        }
    }

    @Test func aShortLifetimePutsANewCertificateInItsReplacementPeriodAtOnce() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 30 * 86_400, replacementPeriod: 90 * 86_400)) { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let old = try await fixture.obtainCertificate(for: jean)
            #expect(try await fixture.certificateInfo(old).replaceable == true)
            let replacement = try await fixture.obtainCertificate(for: jean)
            #expect(replacement.generated.replacesCertificate == old.publicKeyIdentifier)
            // Without an ETK to replace, the new one's ETK still waits for its activation.
            #expect(try await fixture.registerETK(replacement).response.toBeActivated == true)
        }
    }

    @Test func activatingAnETKThatReplacesNothingIsRefused() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            await expectRefusal("NO_ETK_TO_ACTIVATE") {
                try await fixture.etkRA.activateETK(try await Self.activateRequest(signedWith: issued))
            }
            _ = try await fixture.registerETK(issued)
            await expectRefusal("RENEW_ACTIVATION_ETK_ALREADY_ACTIF") {
                try await fixture.etkRA.activateETK(try await Self.activateRequest(signedWith: issued))
            }
        }
    }

    /// Outside the period the request is refused. The platform has two codes for it: the
    /// generateCertificate one (chapter 7.1: "A valid authentication certificate that is not
    /// expiring soon already exists"), which the sandbox gives, and
    /// RENEW_REQUEST_NOT_YET_IN_EXPIRATION_PERIOD.
    @Test func aReplacementBeforeThePeriodIsRefused() async throws {
        // One day before the period starts.
        let early = SandboxConfiguration(deliveryDelay: 0, clockOffset: Self.lifetime - Self.period - 86_400,
                                         certificateLifetime: Self.lifetime, replacementPeriod: Self.period)
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: Self.lifetime, replacementPeriod: Self.period)) { today in
            let jean = try today.citizen(Sandboxed.jean)
            let old = try await today.obtainCertificate(for: jean)
            let later = try await today.restarted(early)
            #expect(try await later.certificateInfo(old).replaceable == false)
            let contract = try await later.contract(signedBy: jean)
            await expectRefusal("CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS") {
                try await later.generateCertificate(contract: contract, privateKey: try EHealthCertificateSigningRequest.generatePrivateKey(), signedBy: jean)
            }
        }
    }

    @Test func anExpiredCertificateIsReportedExpiredAndNotReplaceable() async throws {
        try await SandboxFixture.with(SandboxConfiguration(deliveryDelay: 0, certificateLifetime: 10 * 86_400, replacementPeriod: 5 * 86_400)) { today in
            let jean = try today.citizen(Sandboxed.jean)
            let old = try await today.obtainCertificate(for: jean)
            _ = try await today.registerETK(old)
            let later = try await today.restarted(SandboxConfiguration(deliveryDelay: 0, clockOffset: 11 * 86_400,
                                                                      certificateLifetime: 10 * 86_400, replacementPeriod: 5 * 86_400))
            let infos = try await later.certificateInfo(forCitizen: jean)
            #expect(infos.map(\.authenticationCertificateStatus) == [.expired])
            #expect(infos.map(\.etkStatus) == [.expired], "an ETK expires with its authentication certificate")
            #expect(infos.map(\.replaceable) == [false])
            #expect(infos.map(\.revocable) == [false])
            // A new certificate for the same DN is a new one, not a replacement.
            let renewed = try await later.obtainCertificate(for: jean)
            #expect(renewed.generated.replacesCertificate == nil)
            #expect(renewed.publicKeyIdentifier != old.publicKeyIdentifier)
        }
    }

    static func activateRequest(signedWith issued: IssuedCertificate) async throws -> ActivateETKRequestType {
        try await Sandboxed.signer.sign({ signature in
            ActivateETKRequestType(issueInstant: .now, signature: signature)
        }, with: try issued.signingKey)
    }
}
