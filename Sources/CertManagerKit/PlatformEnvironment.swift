import Foundation

/// The eHealth platform environments and their Certificate Manager endpoints (protocol-facts.md).
public enum PlatformEnvironment: String, Sendable, CaseIterable {
    case acceptance
    case production

    public var certRAEndpoint: URL {
        switch self {
        case .acceptance: URL(string: "https://services-acpt.ehealth.fgov.be/CertRa/v2")!
        case .production: URL(string: "https://services.ehealth.fgov.be/CertRa/v2")!
        }
    }

    public var etkRAEndpoint: URL {
        switch self {
        case .acceptance: URL(string: "https://services-acpt.ehealth.fgov.be/EtkRa/v2")!
        case .production: URL(string: "https://services.ehealth.fgov.be/EtkRa/v2")!
        }
    }
}
