import Foundation

/// How a flow talks to the platform and how patient it is. The same flow can run with other
/// settings on `resume` (another network, a longer polling window, a sandbox on a new port).
public struct FlowSettings: Sendable {
    /// Where to send requests; nil uses the endpoints the flow was started with.
    public var endpoints: ServiceEndpoints?
    public var connection: ConnectionOptions
    public var retry: RetryPolicy
    public var polling: PollingPolicy
    public var sleeper: any Sleeper
    /// Whether a keystore of one environment may be used against another (``KeystoreEnvironment``);
    /// refused by default.
    public var allowsOtherEnvironment: Bool

    public init(endpoints: ServiceEndpoints? = nil, connection: ConnectionOptions = ConnectionOptions(),
                retry: RetryPolicy = RetryPolicy(), polling: PollingPolicy = .standard, sleeper: any Sleeper = TaskSleeper(),
                allowsOtherEnvironment: Bool = false) {
        self.endpoints = endpoints
        self.connection = connection
        self.retry = retry
        self.polling = polling
        self.sleeper = sleeper
        self.allowsOtherEnvironment = allowsOtherEnvironment
    }
}
