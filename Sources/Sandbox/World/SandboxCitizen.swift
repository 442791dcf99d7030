import Foundation

/// A test person of the sandbox world, with a software eID (a PKCS#12 file holding the keys and
/// certificates a Belgian eID card would: `Authentication` and `Signature`).
public struct SandboxCitizen: Codable, Sendable, Equatable {
    public let ssin: String
    public let firstName: String
    public let lastName: String
    /// "RSA 2048" (eID applet 1.7) or "EC P-384" (applet 1.8).
    public let keyKind: String
    /// Has at least one health-care quality: may request a certificate as a natural person.
    public let hasQualities: Bool
    /// Organizations whose certificates this person may manage, as `TYPE=ID`.
    public let organizations: [String]
    /// Whether this person's requests for their organizations are validated automatically (else
    /// an operator must approve them: `ehcert-sandbox approve`). Personal certificates always are
    /// (cookbook 4.3.4.2).
    public let automaticValidation: Bool
    /// PKCS#12 file with aliases `Authentication` and `Signature`; password
    /// `SandboxWorld.citizenKeystorePassword`.
    public var eidKeystore: URL
}

/// A test organization.
public struct SandboxOrganization: Codable, Sendable, Equatable {
    /// `CBE`, `NIHII-HOSPITAL`, ...
    public let type: String
    public let id: String
    public let nameFrench: String
    public let nameDutch: String

    public var key: String { "\(type)=\(id)" }
}
