import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// A certification authority that issues X.509 certificates: the sandbox's eID and eHealth CAs,
/// and the test PKIs. A root signs itself; an intermediate is issued by its parent.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey
    /// This CA's certificate, then its issuers up to but excluding the root.
    public let chainBelowRoot: [Certificate]

    public var name: DistinguishedName { certificate.subject }

    /// A CA from its stored certificate and key.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey, chainBelowRoot: [Certificate]) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.chainBelowRoot = chainBelowRoot
    }

    /// A self-signed root CA.
    public static func root(name: DistinguishedName, key: Certificate.PrivateKey,
                            validity: ClosedRange<Date>) throws -> CertificateAuthority {
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: validity.lowerBound,
            notValidAfter: validity.upperBound,
            issuer: name,
            subject: name,
            signatureAlgorithm: Self.signatureAlgorithm(for: key),
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: ArraySlice(try PublicKeyIdentifier(publicKey: key.publicKey).bytes))
            },
            issuerPrivateKey: key)
        return CertificateAuthority(certificate: certificate, privateKey: key, chainBelowRoot: [])
    }

    /// A CA below this one.
    public func intermediate(name: DistinguishedName, key: Certificate.PrivateKey,
                             validity: ClosedRange<Date>) throws -> CertificateAuthority {
        let certificate = try issue(
            subject: name, publicKey: key.publicKey, validity: validity,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            })
        return CertificateAuthority(certificate: certificate, privateKey: key, chainBelowRoot: [certificate] + chainBelowRoot)
    }

    /// An end-entity certificate. `extensions` come on top of the subject and authority key
    /// identifiers, which are always set (eHealth puts the PublicKeyIdentifier in the SKI).
    public func issue(subject: DistinguishedName, publicKey: Certificate.PublicKey, validity: ClosedRange<Date>,
                      serialNumber: Certificate.SerialNumber = Certificate.SerialNumber(),
                      extensions: Certificate.Extensions = Certificate.Extensions(),
                      signatureAlgorithm: Certificate.SignatureAlgorithm? = nil) throws -> Certificate {
        var all = extensions
        try all.append(Certificate.Extension(SubjectKeyIdentifier(keyIdentifier: ArraySlice(try PublicKeyIdentifier(publicKey: publicKey).bytes)), critical: false))
        try all.append(Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: ArraySlice(try PublicKeyIdentifier(publicKey: privateKey.publicKey).bytes)), critical: false))
        return try Certificate(
            version: .v3,
            serialNumber: serialNumber,
            publicKey: publicKey,
            notValidBefore: validity.lowerBound,
            notValidAfter: validity.upperBound,
            issuer: name,
            subject: subject,
            signatureAlgorithm: signatureAlgorithm ?? Self.signatureAlgorithm(for: privateKey),
            extensions: all,
            issuerPrivateKey: privateKey)
    }

    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        if P384.Signing.PublicKey(key.publicKey) != nil { return .ecdsaWithSHA384 }
        if P256.Signing.PublicKey(key.publicKey) != nil { return .ecdsaWithSHA256 }
        return .sha256WithRSAEncryption
    }
}
