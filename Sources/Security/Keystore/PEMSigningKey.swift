import Foundation
import SwiftASN1
import X509

extension SoftwareSigningKey {
    /// A signer from PEM: a private key (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, or
    /// `ENCRYPTED PRIVATE KEY` with `password`) and its certificates (one or more `CERTIFICATE`
    /// blocks in any order). The key's certificate is found by its public key and the chain is
    /// built up through the other certificates; a root among them is left out, as `SigningKey`
    /// wants. The algorithm is read from the certificate.
    public init(pemPrivateKey: String, password: String? = nil, certificatesPEM: String) throws {
        let key = try KeystorePrivateKey(pemRepresentation: pemPrivateKey, password: password)
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: certificatesPEM)
                .filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(pemDocument: $0) }
        } catch {
            throw SecurityError(.invalidCertificate, "the certificate PEM cannot be read: \(error)")
        }
        guard let leaf = certificates.first(where: { key.belongs(to: $0) }) else {
            throw SecurityError(.keystoreKeyMismatch, certificates.isEmpty
                ? "no PEM certificate was given for the private key"
                : "none of the \(certificates.count) PEM certificates belongs to the private key")
        }
        var chain = Keystore.chain(from: leaf, pool: certificates)
        while chain.count > 1, let last = chain.last, last.subject == last.issuer {
            chain.removeLast()
        }
        try self.init(key: key.signingKey(), certificateChain: chain)
    }

    /// The same, from files.
    public init(privateKeyFile: URL, password: String? = nil, certificateFile: URL) throws {
        func text(_ url: URL) throws -> String {
            do {
                return try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw SecurityError(.keystoreReadFailed, "cannot read \(url.path): \(error.localizedDescription)")
            }
        }
        try self.init(pemPrivateKey: try text(privateKeyFile), password: password, certificatesPEM: try text(certificateFile))
    }
}
