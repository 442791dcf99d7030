import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// The encryption certificate of an ETK (`ToBeRegistered` of CompleteETKRegistration), made by
/// the owner and signed with the eHealth authentication key (cookbook 4.3.4.8, protocol-facts
/// "The encryption certificate"):
///
/// - X.509 v3, DER; serial number: the challenge's;
/// - subject and issuer: the authentication certificate's subject;
/// - validity: the authentication certificate's notBefore and notAfter;
/// - public key: the encryption key;
/// - one extension, keyUsage, critical: keyEncipherment + dataEncipherment;
/// - signature: the authentication certificate's algorithm (SHA256withRSA in the cookbook), by the authentication key.
public struct EncryptionCertificate: Hashable, Sendable {
    public let certificate: Certificate
    /// For CompleteETKRegistrationRequest/ToBeRegistered.
    public let derEncoded: [UInt8]

    /// The keyUsage the protocol asks for.
    public static let keyUsage = KeyUsage(keyEncipherment: true, dataEncipherment: true)

    /// A new ETK encryption key: RSA 2048 (cookbook 4.3.4 step 10).
    public static func generatePrivateKey() throws -> _RSA.Encryption.PrivateKey {
        try _RSA.Encryption.PrivateKey(keySize: .bits2048)
    }

    /// Builds and signs the certificate (cookbook 4.3.4 step 12). `authenticationKey` is the
    /// eHealth authentication key (its first certificate is the authentication certificate); it
    /// may live in a keystore, on a token or in an HSM.
    ///
    /// The signature algorithm is the authentication certificate's (cookbook 4.3.4.8, and what
    /// the platform's Java connector does): ``signatureAlgorithm(for:)``.
    public init(challenge: Challenge, encryptionPublicKey: Certificate.PublicKey, authenticationKey: some SigningKey) async throws {
        let authentication = authenticationKey.certificate
        let signer = try SigningKeyCertificateSigner(authenticationKey, signatureAlgorithm: try Self.signatureAlgorithm(for: authentication))
        do {
            certificate = try await Certificate(
                version: .v3,
                serialNumber: challenge.serialNumber,
                publicKey: encryptionPublicKey,
                notValidBefore: authentication.notValidBefore,
                notValidAfter: authentication.notValidAfter,
                issuer: authentication.subject,
                subject: authentication.subject,
                signatureAlgorithm: signer.signatureAlgorithm,
                extensions: try Certificate.Extensions { Critical(Self.keyUsage) },
                issuerAsyncPrivateKey: Certificate.PrivateKey(signer))
        } catch let error as SecurityError {
            throw error
        } catch {
            throw SecurityError(.encryptionCertificateInvalid, "the encryption certificate could not be made: \(error)")
        }
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        derEncoded = serializer.serializedBytes
    }

    /// The algorithm the encryption certificate is signed with: "the same sign algorithm which
    /// was used to generate the authentication certificate" (cookbook 4.3.4.8), i.e. the
    /// authentication certificate's own signatureAlgorithm, when its key can make such a
    /// signature (an RSA key signs sha256/384/512WithRSA, an EC key ecdsa-with-SHA256/384/512);
    /// otherwise (an eHealth CA of the other key type) the key's own algorithm.
    public static func signatureAlgorithm(for authentication: Certificate) throws -> Certificate.SignatureAlgorithm {
        let rsa: [Certificate.SignatureAlgorithm] = [.sha256WithRSAEncryption, .sha384WithRSAEncryption, .sha512WithRSAEncryption]
        let ecdsa: [Certificate.SignatureAlgorithm] = [.ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512]
        let own: Certificate.SignatureAlgorithm
        switch try SignatureAlgorithm(for: authentication.publicKey) {
        case .rsaSHA256: own = .sha256WithRSAEncryption
        case .ecdsaSHA256: own = .ecdsaWithSHA256
        case .ecdsaSHA384: own = .ecdsaWithSHA384
        }
        let family = rsa.contains(own) ? rsa : ecdsa
        return family.contains(authentication.signatureAlgorithm) ? authentication.signatureAlgorithm : own
    }

    /// The same for an RSA encryption key.
    public init(challenge: Challenge, encryptionPublicKey: _RSA.Encryption.PublicKey, authenticationKey: some SigningKey) async throws {
        try await self.init(challenge: challenge, encryptionPublicKey: Self.certificatePublicKey(encryptionPublicKey), authenticationKey: authenticationKey)
    }

    /// Reads a DER certificate (ToBeRegistered, or an ETK's content). Only the X.509 syntax is
    /// checked; ``check(serialNumber:authenticationCertificate:registeredPublicKey:at:)`` checks the rest.
    public init(derEncoded: some DataProtocol) throws {
        let bytes = Array(derEncoded)
        do {
            certificate = try Certificate(derEncoded: bytes)
        } catch {
            throw SecurityError(.encryptionCertificateInvalid, "the encryption certificate is not a DER X.509 certificate (\(error))")
        }
        self.derEncoded = bytes
    }

    /// The keystore alias of the encryption key: the decimal serial number (cookbook 4.1).
    public var keystoreAlias: String { Challenge.decimal(certificate.serialNumber.bytes) }

    // MARK: - The sandbox's check (CompleteETKRegistration)

    /// Checks the certificate as CompleteETKRegistration must: the authentication certificate is
    /// valid at `time`, the serial number is the challenge's, subject and issuer are the
    /// authentication certificate's subject, the validity is its validity, keyUsage is critical
    /// keyEncipherment + dataEncipherment and nothing else, the public key is the one registered by
    /// StartETKRegistration, and the signature verifies with the authentication certificate's key.
    public func check(serialNumber: Certificate.SerialNumber, authenticationCertificate: Certificate,
                      registeredPublicKey: Certificate.PublicKey, at time: Date = Date()) throws {
        let authentication = authenticationCertificate
        guard time >= authentication.notValidBefore else {
            throw SecurityError(.authenticationCertificateNotYetValid, "the authentication certificate \(authentication.subject) is valid from \(authentication.notValidBefore) only")
        }
        guard time <= authentication.notValidAfter else {
            throw SecurityError(.authenticationCertificateExpired, "the authentication certificate \(authentication.subject) expired on \(authentication.notValidAfter)")
        }
        guard certificate.version == .v3 else {
            throw SecurityError(.encryptionCertificateInvalid, "the encryption certificate is X.509 \(certificate.version); it must be v3")
        }
        guard certificate.serialNumber == serialNumber else {
            throw SecurityError(.encryptionCertificateSerialMismatch, "the encryption certificate's serial number \(certificate.serialNumber) is not the challenge's \(serialNumber): decrypt the challenge of this registration and use its serial number")
        }
        guard certificate.subject == authentication.subject else {
            throw SecurityError(.encryptionCertificateSubjectMismatch, "the encryption certificate's subject \(certificate.subject) is not the authentication certificate's \(authentication.subject)")
        }
        guard certificate.issuer == authentication.subject else {
            throw SecurityError(.encryptionCertificateIssuerMismatch, "the encryption certificate's issuer \(certificate.issuer) is not the authentication certificate's subject \(authentication.subject)")
        }
        guard certificate.notValidBefore == authentication.notValidBefore, certificate.notValidAfter == authentication.notValidAfter else {
            throw SecurityError(.encryptionCertificateValidityMismatch, "the encryption certificate is valid \(certificate.notValidBefore) to \(certificate.notValidAfter), not the authentication certificate's \(authentication.notValidBefore) to \(authentication.notValidAfter)")
        }
        let keyUsageExtension = certificate.extensions[oid: .X509ExtensionID.keyUsage]
        let keyUsage = try? certificate.extensions.keyUsage
        guard let keyUsageExtension, keyUsageExtension.critical, keyUsage == Self.keyUsage else {
            throw SecurityError(.encryptionCertificateKeyUsageInvalid, "the encryption certificate's keyUsage must be critical and exactly keyEncipherment + dataEncipherment; it is \(keyUsage.map { "\($0)" } ?? "absent")\(keyUsageExtension?.critical == false ? " and not critical" : "")")
        }
        guard certificate.publicKey == registeredPublicKey else {
            throw SecurityError(.publicKeyNotYetRegistered, "the encryption certificate's public key is not the PublicEncryptionKey registered with StartETKRegistration")
        }
        let expectedAlgorithm = try Self.signatureAlgorithm(for: authentication)
        guard certificate.signatureAlgorithm == expectedAlgorithm else {
            throw SecurityError(.encryptionCertificateSignatureAlgorithmMismatch, "the encryption certificate is signed \(certificate.signatureAlgorithm), not \(expectedAlgorithm) as the authentication certificate \(authentication.subject) is (cookbook 4.3.4.8: the same sign algorithm)")
        }
        guard authentication.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw SecurityError(.encryptionCertificateSignatureInvalid, "the encryption certificate's signature does not verify with the key of the authentication certificate \(authentication.subject): it must be signed with the eHealth authentication key")
        }
    }

    /// The same against an issued challenge.
    public func check(challenge: Challenge, authenticationCertificate: Certificate,
                      registeredPublicKey: Certificate.PublicKey, at time: Date = Date()) throws {
        try check(serialNumber: challenge.serialNumber, authenticationCertificate: authenticationCertificate,
                  registeredPublicKey: registeredPublicKey, at: time)
    }

    /// The same for a registered RSA key.
    public func check(challenge: Challenge, authenticationCertificate: Certificate,
                      registeredPublicKey: _RSA.Encryption.PublicKey, at time: Date = Date()) throws {
        try check(serialNumber: challenge.serialNumber, authenticationCertificate: authenticationCertificate,
                  registeredPublicKey: Self.certificatePublicKey(registeredPublicKey), at: time)
    }

    static func certificatePublicKey(_ key: _RSA.Encryption.PublicKey) throws -> Certificate.PublicKey {
        Certificate.PublicKey(try _RSA.Signing.PublicKey(derRepresentation: key.derRepresentation))
    }
}
