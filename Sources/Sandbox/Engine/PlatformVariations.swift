import Crypto
import Foundation
import SwiftASN1
import Security
import X509

/// Answers the platform gives where the cookbook leaves room, or that follow from real-world
/// conditions (clock skew, another eHealth CA), staged so that clients meet them offline. The
/// defaults are the cookbook's.
public struct PlatformVariations: Sendable, Equatable {
    /// Which PublicKeyIdentifier generateCertificate answers.
    public enum PublicKeyIdentifierAnswer: String, Sendable, CaseIterable {
        /// RFC 5280 4.2.1.2 method 1, as the cookbook defines it (what clients compute too).
        case subjectPublicKey = "subject-public-key"
        /// SHA-1 of the whole DER SubjectPublicKeyInfo: another identifier for the same key, as a
        /// platform that computes it its own way would answer. getCertificate accepts it (and the
        /// cookbook's); a client that keeps polling with its own value still gets the certificate,
        /// but its records would name another value than the platform's.
        case subjectPublicKeyInfo = "subject-public-key-info"
    }

    public var publicKeyIdentifierAnswer: PublicKeyIdentifierAnswer = .subjectPublicKey
    /// The algorithm the eHealth CA signs authentication certificates with; nil: its key's own
    /// (sha256WithRSAEncryption). The encryption certificate must then use the same (4.3.4.8).
    public var certificateSignatureAlgorithm: Certificate.SignatureAlgorithm?
    /// Issued authentication certificates become valid this long after they are issued, as when
    /// the CA's clock runs ahead: startETKRegistration then answers
    /// ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID until that date.
    public var certificateValidityDelay: TimeInterval = 0
    /// With a ``certificateValidityDelay``, getCertificate answers AUTH_CERT_NOT_YET_VALID (with
    /// the date) until the certificate is valid, instead of delivering it at once.
    public var withholdsCertificateUntilValid = false

    public init() {}

    /// The names `ehcert-sandbox serve --certificate-signature-algorithm` takes.
    public static let signatureAlgorithmNames: [String: Certificate.SignatureAlgorithm] = [
        "sha256WithRSAEncryption": .sha256WithRSAEncryption,
        "sha384WithRSAEncryption": .sha384WithRSAEncryption,
        "sha512WithRSAEncryption": .sha512WithRSAEncryption,
    ]

    /// The identifier generateCertificate answers for a CSR's key.
    func answeredIdentifier(for publicKey: Certificate.PublicKey) throws -> String {
        switch publicKeyIdentifierAnswer {
        case .subjectPublicKey: try Security.PublicKeyIdentifier(publicKey: publicKey).hex
        case .subjectPublicKeyInfo: try Self.subjectPublicKeyInfoHash(publicKey)
        }
    }

    static func subjectPublicKeyInfoHash(_ publicKey: Certificate.PublicKey) throws -> String {
        var serializer = DER.Serializer()
        try serializer.serialize(publicKey)
        return Insecure.SHA1.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined()
    }
}
