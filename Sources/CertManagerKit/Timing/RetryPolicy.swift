/// How often a call that failed for a transient reason (network down, platform unavailable) is
/// sent again. Only operations that are safe to repeat are retried (``Operation/isSafeToRepeat``):
/// the read-only ones. generateCertificate, startETKRegistration and completeETKRegistration are
/// never repeated blindly; the flow's journal recognises on `resume` what they already did.
public struct RetryPolicy: Sendable, Equatable, Codable {
    /// Attempts in total, the first one included; 1 disables retries.
    public var maximumAttempts: Int
    public var backoff: Backoff

    public init(maximumAttempts: Int = 4, backoff: Backoff = Backoff(initial: .seconds(2), multiplier: 2, maximum: .seconds(30), jitter: 0.2)) {
        precondition(maximumAttempts >= 1, "at least one attempt")
        self.maximumAttempts = maximumAttempts
        self.backoff = backoff
    }

    /// One attempt only.
    public static let never = RetryPolicy(maximumAttempts: 1)

    /// Whether to try again after attempt number `attempt` failed with `error`.
    public func shouldRetry(_ error: CertManagerError, afterAttempt attempt: Int, operation: PlatformOperation) -> Bool {
        attempt < maximumAttempts && operation.isSafeToRepeat && error.isTransient
    }
}
