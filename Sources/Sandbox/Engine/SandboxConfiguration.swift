import Foundation
import Security

/// How the sandbox behaves where the platform's behaviour depends on people or time.
public struct SandboxConfiguration: Sendable {
    /// Time between an accepted generateCertificate and the certificate's delivery, so that
    /// getCertificate really answers CERT_NOT_YET_DELIVERED first and clients really poll.
    public var deliveryDelay: TimeInterval
    /// Added to the real clock: a positive offset moves the sandbox into the future, so that a
    /// certificate's replacement period (and renewal) can be exercised today.
    public var clockOffset: TimeInterval
    /// Lifetime of the eHealth certificates the sandbox issues.
    public var certificateLifetime: TimeInterval
    /// How long before expiry a certificate becomes Replaceable (about 3 months on the platform).
    public var replacementPeriod: TimeInterval
    /// How long a foreigner has to confirm a submitted CSR.
    public var foreignerValidationPeriod: TimeInterval
    /// Network faults staged from the start (`serve --fault`); tests change them while the
    /// sandbox runs through ``SandboxEngine/faults``.
    public var faults: SandboxFaultPlan
    /// How generateContract writes the contract's DN: the cookbook's bare `CN=SSIN=…` by default,
    /// or escaped `CN=SSIN\=…`. Either form (and the other) is accepted back in generateCertificate.
    public var contractDistinguishedNameForm: EHealthDistinguishedName.StringForm = .cookbook
    /// Where the platform's answers differ from the cookbook or from our own computations, so
    /// that clients meet those answers offline (``PlatformVariations``).
    public var variations = PlatformVariations()
    /// Where to log each request's tracing headers (``RequestHeaderLog``); nil logs nothing.
    public var requestHeaderLog: URL?

    public init(deliveryDelay: TimeInterval = 2, clockOffset: TimeInterval = 0,
                certificateLifetime: TimeInterval = 3 * 365 * 86_400, replacementPeriod: TimeInterval = 90 * 86_400,
                foreignerValidationPeriod: TimeInterval = 30 * 86_400, faults: SandboxFaultPlan = SandboxFaultPlan()) {
        self.deliveryDelay = deliveryDelay
        self.clockOffset = clockOffset
        self.certificateLifetime = certificateLifetime
        self.replacementPeriod = replacementPeriod
        self.foreignerValidationPeriod = foreignerValidationPeriod
        self.faults = faults
    }
}
