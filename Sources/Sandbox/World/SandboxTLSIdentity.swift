import Crypto
import Foundation
import Security
import SwiftASN1
import X509

/// The certificate `ehcert-sandbox serve --tls` presents: issued for localhost, 127.0.0.1 and ::1
/// by a root of its own, `trust/tls-root.pem`, which clients add to their trust (ehcert's
/// `--trust-root`). Made the first time HTTPS is asked for, so worlds made before have it too.
public struct SandboxTLSIdentity: Sendable {
    /// The server certificate, then the root.
    public let certificateChain: [Certificate]
    /// PEM (PKCS#8) of the server's P-256 key.
    package let privateKeyPEM: String

    public static func rootFile(in world: SandboxWorld) -> URL {
        world.trustDirectory.appendingPathComponent("tls-root.pem")
    }

    static func folder(in world: SandboxWorld) -> URL {
        world.directory.appendingPathComponent("tls")
    }

    /// Loads the identity of `world`, making it first if it has none.
    public static func ensure(in world: SandboxWorld) throws -> SandboxTLSIdentity {
        let folder = folder(in: world)
        let keyFile = folder.appendingPathComponent("server-key.pem")
        let chainFile = folder.appendingPathComponent("server-chain.pem")
        let rootFile = rootFile(in: world)
        let all = [keyFile, chainFile, rootFile]
        if all.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
            return try load(keyFile: keyFile, chainFile: chainFile)
        }
        let identity = try make()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The root's PEM is written last: its presence says the set is complete.
            try AtomicFile.write(Data(identity.privateKeyPEM.utf8), to: keyFile, overwrite: true, permissions: 0o600)
            let chainPEM = try identity.certificateChain.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
            try AtomicFile.write(Data(chainPEM.utf8), to: chainFile, overwrite: true, permissions: 0o644)
            let rootPEM = try identity.certificateChain[identity.certificateChain.count - 1].serializeAsPEM().pemString + "\n"
            try AtomicFile.write(Data(rootPEM.utf8), to: rootFile, overwrite: true, permissions: 0o644)
        } catch {
            throw SandboxError.world("cannot store the TLS server certificate in \(folder.path): \(error)")
        }
        return identity
    }

    static func make(now: Date = Date()) throws -> SandboxTLSIdentity {
        let rootKey = P256.Signing.PrivateKey()
        let validity = now.addingTimeInterval(-86_400)...now.addingTimeInterval(10 * 365 * 86_400)
        let root = try CertificateAuthority.root(
            name: try DistinguishedName { CountryName("BE"); OrganizationName("ehcert sandbox"); CommonName("ehcert sandbox TLS root") },
            key: Certificate.PrivateKey(rootKey), validity: validity)
        let serverKey = P256.Signing.PrivateKey()
        let server = try root.issue(
            subject: try DistinguishedName { CountryName("BE"); OrganizationName("ehcert sandbox"); CommonName("localhost") },
            publicKey: Certificate.PublicKey(serverKey.publicKey), validity: validity,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                                         .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1])))])
            })
        return SandboxTLSIdentity(certificateChain: [server, root.certificate], privateKeyPEM: serverKey.pemRepresentation)
    }

    static func load(keyFile: URL, chainFile: URL) throws -> SandboxTLSIdentity {
        do {
            let keyPEM = try String(contentsOf: keyFile, encoding: .utf8)
            _ = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            let chain = try PEMDocument.parseMultiple(pemString: String(contentsOf: chainFile, encoding: .utf8))
                .map { try Certificate(pemDocument: $0) }
            guard chain.count == 2 else { throw SandboxError.world("\(chainFile.path) should hold the server certificate and its root") }
            return SandboxTLSIdentity(certificateChain: chain, privateKeyPEM: keyPEM)
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError.world("cannot read the TLS server certificate in \(keyFile.deletingLastPathComponent().path): \(error)")
        }
    }
}
