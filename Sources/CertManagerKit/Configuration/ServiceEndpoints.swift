import Foundation

/// Where CertRA and EtkRA answer: an environment of the platform, or custom addresses (a local
/// sandbox, a proxy).
public struct ServiceEndpoints: Sendable, Equatable, Codable, CustomStringConvertible {
    public var certRA: URL
    public var etkRA: URL

    public init(certRA: URL, etkRA: URL) {
        self.certRA = certRA
        self.etkRA = etkRA
    }

    public init(_ environment: PlatformEnvironment) {
        self.init(certRA: environment.certRAEndpoint, etkRA: environment.etkRAEndpoint)
    }

    /// The platform environment these are, if they are one.
    public var environment: PlatformEnvironment? {
        PlatformEnvironment.allCases.first { ServiceEndpoints($0) == self }
    }

    public var description: String {
        environment?.rawValue ?? "CertRA \(certRA.absoluteString), EtkRA \(etkRA.absoluteString)"
    }
}
