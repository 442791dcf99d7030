/// How getCertificate is polled while it answers CERT_NOT_YET_DELIVERED (cookbook 4.3.4 step 9).
///
/// With automatic validation the certificate comes within seconds to minutes: poll with growing
/// pauses (the platform's connector waits 10 s) until `maximumWait`, then stop with a
/// `CERT_NOT_YET_DELIVERED` error of category `.pending`: the flow's journal keeps everything,
/// and `resume` continues polling days later if need be. With manual validation an operator
/// must approve the request first, which takes days: by default one attempt, then stop.
public struct PollingPolicy: Sendable, Equatable, Codable {
    public var backoff: Backoff
    /// How long to keep polling in one run; `nil` polls until cancelled.
    public var maximumWait: Duration?
    /// Whether to keep polling when generateCertificate said the request needs manual validation.
    public var pollsDuringManualValidation: Bool

    public init(backoff: Backoff = Backoff(initial: .seconds(10), multiplier: 1.5, maximum: .seconds(300), jitter: 0.1),
                maximumWait: Duration? = .seconds(30 * 60), pollsDuringManualValidation: Bool = false) {
        self.backoff = backoff
        self.maximumWait = maximumWait
        self.pollsDuringManualValidation = pollsDuringManualValidation
    }

    /// The connector's behaviour: every 10 s, for up to 30 minutes.
    public static let standard = PollingPolicy()
}
