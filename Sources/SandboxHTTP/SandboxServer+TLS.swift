import HummingbirdTLS
import NIOSSL
import X509
import SwiftASN1
import Sandbox

extension SandboxServer {
    /// NIOSSL's server configuration for the sandbox's TLS identity: the server certificate and
    /// its root as the chain, TLS 1.2 or later.
    static func tlsConfiguration(_ identity: SandboxTLSIdentity) throws -> TLSConfiguration {
        do {
            let chain = try identity.certificateChain.map { certificate -> NIOSSLCertificateSource in
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                return .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
            }
            let key = try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = .tlsv12
            return configuration
        } catch {
            throw SandboxError.server("cannot load the TLS server certificate: \(error)")
        }
    }
}
