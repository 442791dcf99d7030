import Foundation
import Sandbox
import Security

/// ETK reading: the CMS SignedData (OpenSSL), its encryption certificate and certificates, the
/// owner's authentication certificate and the signer's chain to the world's eHealth root, as
/// `ehcert etk show` and the flows do; and the same bytes read as an encryption certificate.
public struct ETKTarget: FuzzTarget {
    public static let name = "etk"

    let trust: CertificateTrust

    public init(environment: FuzzEnvironment) throws {
        trust = CertificateTrust(roots: [try environment.makeWorld().eHealthRoot])
    }

    public func run(_ data: Data) {
        if let etk = try? ETK(derEncoded: data) {
            _ = etk.authenticationCertificate
            _ = etk.validity
            _ = etk.encryptionCertificate.keystoreAlias
            let trust = trust
            runBlocking {
                do { try await etk.validateSigner(with: trust) } catch { _ = String(describing: error) }
            }
        }
        if let certificate = try? EncryptionCertificate(derEncoded: data) {
            _ = certificate.keystoreAlias
        }
    }

    /// The ETKs of the traced completeETKRegistration answers.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        try demo.traces(endingWith: "-response.xml").flatMap { trace in
            TraceText.base64Values(of: "ETK", in: trace.data)
        }
    }
}
