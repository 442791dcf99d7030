import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// An encryption token (protocol-facts "The ETK"): a CMS SignedData (RFC 5652) whose id-data
/// content is the DER encryption certificate, signed by the platform's ETK-RA certificate, with
/// the ETK-RA certificate, the owner's authentication certificate, its CA and root in
/// `certificates`. CompleteETKRegistrationResponse/ETK carries it in base64.
///
/// Reading checks that the SignedData signature verifies with the signer certificate it holds;
/// `validateSigner(with:)` checks the ETK-RA certificate's chain to the eHealth roots (not its
/// dates: ETK-RA certificates of genuine ETKs have been seen expired). ETKs of every generation read: SHA-1 or SHA-256 digests, with or without
/// signed attributes, RSA or EC P-384 encryption certificates.
public struct ETK: Hashable, Sendable {
    /// The ETK as received (DER or BER).
    public let derEncoded: [UInt8]
    /// The content: the owner's encryption certificate.
    public let encryptionCertificate: EncryptionCertificate
    /// The certificate that signed the SignedData: the platform's ETK-RA.
    public let signerCertificate: Certificate
    /// The other certificates of the SignedData: the owner's authentication certificate, its
    /// issuing CA and root, in that order (the `certificates` SET OF itself has no meaningful
    /// order, DER sorts it); certificates outside that chain follow as the SignedData holds them.
    public let otherCertificates: [Certificate]
    /// The signer's digest algorithm (SHA-256 today, SHA-1 in old ETKs).
    public let digestAlgorithm: ASN1ObjectIdentifier
    /// Whether the signer signed attributes (contentType, signingTime…); older ETKs have none.
    public let hasSignedAttributes: Bool

    /// The SHA-1 and SHA-256 digest algorithm identifiers.
    public static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    public static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]

    /// Reads an ETK and verifies its SignedData signature.
    public init(derEncoded: some DataProtocol) throws {
        let bytes = Array(derEncoded)
        let signedData = try OpenSSLCMS.verify(bytes)
        guard signedData.signerCertificates.count == 1, let signerDER = signedData.signerCertificates.first else {
            throw SecurityError(.etkMalformed, "the ETK has \(signedData.signerCertificates.count) signers; an ETK has one, the ETK-RA")
        }
        do {
            encryptionCertificate = try EncryptionCertificate(derEncoded: signedData.content)
        } catch {
            throw SecurityError(.etkMalformed, "the ETK's content is not the DER encryption certificate (\(error))")
        }
        do {
            signerCertificate = try Certificate(derEncoded: signerDER)
            otherCertificates = Self.chainOrder(
                try signedData.certificates.filter { $0 != signerDER }.map { try Certificate(derEncoded: $0) },
                below: encryptionCertificate.certificate)
            digestAlgorithm = try ASN1ObjectIdentifier(dotRepresentation: signedData.digestAlgorithm)
        } catch {
            throw SecurityError(.etkMalformed, "the ETK's certificates cannot be read (\(error))")
        }
        hasSignedAttributes = signedData.hasSignedAttributes
        self.derEncoded = bytes
    }

    /// The certificate that signed `certificate`, then its issuer, and so on; then the rest.
    private static func chainOrder(_ certificates: [Certificate], below certificate: Certificate) -> [Certificate] {
        // The encryption certificate is self-issued in name (its issuer is the authentication
        // certificate's subject, which is its own subject too), so its issuer is found by key.
        guard let issuer = certificates.first(where: {
            $0.subject == certificate.issuer && $0.publicKey.isValidSignature(certificate.signature, for: certificate)
        }) else { return certificates }
        let ordered = IssuerChain.build(from: issuer, pool: certificates, requireSignature: true)
        return ordered + certificates.filter { !ordered.contains($0) }
    }

    /// Checks the ETK-RA signer's chain to `trust`'s roots (the eHealth roots) through the
    /// ETK's own certificates: RFC 5280 structure, signatures, usage, no SHA-1 below the root.
    /// Dates are not checked: ETK-RA certificates of genuine ETKs have been seen expired
    /// (protocol-facts "The ETK"); the SignedData signature itself was verified when reading.
    public func validateSigner(with trust: CertificateTrust) async throws {
        do {
            _ = try await trust.validate(signerCertificate, intermediates: otherCertificates, validity: .notChecked, usage: .signature)
        } catch let error as SecurityError where error.code == .untrustedCertificate {
            throw SecurityError(.etkSignerUntrusted, "the ETK's signer is not trusted: \(error.reason)")
        }
    }

    /// From the base64 text of CompleteETKRegistrationResponse/ETK (line breaks allowed).
    public init(base64Encoded text: String) throws {
        guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw SecurityError(.etkMalformed, "the ETK is not base64")
        }
        try self.init(derEncoded: bytes)
    }

    /// The owner's authentication certificate: the included certificate whose subject is the
    /// encryption certificate's issuer and whose key verifies the encryption certificate's signature.
    public var authenticationCertificate: Certificate? {
        let encryption = encryptionCertificate.certificate
        return otherCertificates.first {
            $0.subject == encryption.issuer && $0.publicKey.isValidSignature(encryption.signature, for: encryption)
        }
    }

    /// When the ETK can be used: the encryption certificate's validity, which is the
    /// authentication certificate's (an ETK expires with its authentication certificate).
    public var validity: ClosedRange<Date> {
        encryptionCertificate.certificate.notValidBefore...encryptionCertificate.certificate.notValidAfter
    }

    /// Whether the encryption certificate carries this public key: the ETK is the one for the
    /// encryption key the keystore holds.
    public func hasEncryptionKey(_ publicKey: Certificate.PublicKey) -> Bool {
        encryptionCertificate.certificate.publicKey == publicKey
    }

    /// The same for an RSA encryption key from the keystore.
    public func hasEncryptionKey(_ privateKey: _RSA.Encryption.PrivateKey) -> Bool {
        guard let publicKey = try? EncryptionCertificate.certificatePublicKey(privateKey.publicKey) else { return false }
        return hasEncryptionKey(publicKey)
    }

    // MARK: - The sandbox's side

    public enum Digest: Sendable {
        /// As ETKs since 2014 (protocol-facts "The ETK").
        case sha256
        /// Only to make old-style ETKs for tests.
        case sha1
    }

    /// Signs an encryption certificate into an ETK, as CompleteETKRegistration returns it:
    /// id-data content, one signer (the ETK-RA key and certificate, `etkRA.certificate`), the
    /// digest, signed attributes contentType and signingTime (none if `signedAttributes` is false,
    /// like older ETKs), and the certificates ETK-RA, then `authenticationChain` (the owner's
    /// authentication certificate, its CA, its root).
    public init(encryptionCertificate: EncryptionCertificate, etkRA: SoftwareSigningKey,
                authenticationChain: [Certificate], digest: Digest = .sha256, signedAttributes: Bool = true) throws {
        func der(_ certificate: Certificate) throws -> [UInt8] {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        }
        let privateKey: [UInt8]
        switch etkRA.key {
        case .rsa(let key): privateKey = Array(key.derRepresentation)
        case .p256(let key): privateKey = Array(key.derRepresentation)
        case .p384(let key): privateKey = Array(key.derRepresentation)
        }
        let signer = try der(etkRA.certificate)
        var certificates = [signer]
        for certificate in authenticationChain {
            let encoded = try der(certificate)
            if !certificates.contains(encoded) { certificates.append(encoded) }
        }
        let signed = try OpenSSLCMS.sign(
            content: encryptionCertificate.derEncoded, signerCertificate: signer, signerPrivateKey: privateKey,
            certificates: certificates, digest: digest == .sha1 ? .sha1 : .sha256, signedAttributes: signedAttributes)
        try self.init(derEncoded: signed)
    }
}
