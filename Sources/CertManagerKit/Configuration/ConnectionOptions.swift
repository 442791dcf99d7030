import Foundation
import SOAPRuntime

/// How to reach the services: the HTTP transport's options, the tracing headers (cookbook 4.1.2)
/// and an optional trace folder (every exchange written to disk, for the platform's release
/// procedure, cookbook 6.1.3).
public struct ConnectionOptions: Sendable {
    /// PEM files of certificate authorities to trust besides the system's (a sandbox's server CA).
    public var extraTrustRoots: [URL]
    /// The longest one exchange may take.
    public var requestTimeout: Duration
    /// `User-Agent` and `From` (cookbook 4.1.2: they SHOULD be sent); by default this toolkit's
    /// User-Agent and no From; `nil` sends neither.
    public var tracingHeaders: TracingHeaders?
    /// Folder for `NNN-<operation>-request.xml` / `-response.xml`; `nil` records nothing.
    public var traceDirectory: URL?
    /// PEM bundles of the eHealth root CAs that delivered certificates must chain to. Empty:
    /// the sandbox's own when the service publishes them, else no chain check (a warning says so).
    public var eHealthRoots: [URL] = []
    /// Replaces the HTTP transport (tests, an in-process server).
    public var transport: (any SOAPTransport)?

    public init(extraTrustRoots: [URL] = [], requestTimeout: Duration = .seconds(60), tracingHeaders: TracingHeaders? = .standard,
                traceDirectory: URL? = nil, transport: (any SOAPTransport)? = nil) {
        self.extraTrustRoots = extraTrustRoots
        self.requestTimeout = requestTimeout
        self.tracingHeaders = tracingHeaders
        self.traceDirectory = traceDirectory
        self.transport = transport
    }

    func makeTransport() throws -> any SOAPTransport {
        if let transport { return transport }
        return try PlatformTransport(configuration: .init(requestTimeout: requestTimeout.seconds, extraTrustRoots: extraTrustRoots))
    }
}
