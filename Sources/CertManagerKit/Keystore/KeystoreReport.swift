import _CryptoExtras
import Crypto
import Foundation
import Security
import X509

/// What a keystore holds, for people: each alias with its key type and certificates, and the
/// ETK saved next to it (same name, `.etk`) with whether the keystore holds its encryption key.
/// Reads keystores of this toolkit and of the platform's own (Java) tools alike.
public struct KeystoreReport: Sendable {
    public struct CertificateSummary: Sendable, Equatable {
        /// Where the certificate stands at the time of the report.
        public enum Validity: String, Sendable, Equatable {
            case valid
            case expired
            case notYetValid
        }

        public let subject: String
        public let issuer: String
        /// Decimal, as encryption key aliases use it.
        public let serialNumber: String
        public let notBefore: Date
        public let notAfter: Date
        /// `RSA 2048`, `EC P-384`.
        public let keyAlgorithm: String
        public let validity: Validity

        public init(_ certificate: Certificate, at now: Date = Date()) {
            subject = certificate.subject.description
            issuer = certificate.issuer.description
            serialNumber = Keystore.alias(forSerialNumber: certificate.serialNumber)
            notBefore = certificate.notValidBefore
            notAfter = certificate.notValidAfter
            keyAlgorithm = Self.describe(certificate.publicKey)
            validity = now > certificate.notValidAfter ? .expired : now < certificate.notValidBefore ? .notYetValid : .valid
        }

        static func describe(_ key: Certificate.PublicKey) -> String {
            if let rsa = _RSA.Signing.PublicKey(key) { return "RSA \(rsa.keySizeInBits)" }
            if P384.Signing.PublicKey(key) != nil { return "EC P-384" }
            if P256.Signing.PublicKey(key) != nil { return "EC P-256" }
            if P521.Signing.PublicKey(key) != nil { return "EC P-521" }
            return "unknown"
        }
    }

    public struct Entry: Sendable, Equatable {
        public enum Role: String, Sendable, Equatable {
            /// `authentication`: the eHealth authentication key.
            case authentication
            /// A decimal alias: an ETK encryption key.
            case encryption
            /// Another key.
            case otherKey
            /// A certificate without a key.
            case trustedCertificate
        }

        public let alias: String
        public let role: Role
        /// The private key's type, nil for a certificate entry.
        public let keyAlgorithm: String?
        /// The key's certificate first, then its issuers.
        public let certificates: [CertificateSummary]
    }

    public struct ETKSummary: Sendable, Equatable {
        public let file: URL
        public let encryptionCertificate: CertificateSummary
        /// The keystore alias the encryption key must have: the certificate's decimal serial number.
        public let alias: String
        /// Whether the keystore holds the encryption key for this ETK under that alias.
        public let keystoreHoldsKey: Bool
    }

    public let file: URL
    /// The PKCS#12 protection, e.g. `AES-256/PBKDF2, SHA-256 MAC`.
    public let protection: String?
    /// Whether Java 8 runtimes can open the file (legacy protection); nil when unknown.
    public var isJava8Compatible: Bool?
    public let entries: [Entry]
    public let etk: ETKSummary?

    /// Reads `file` with `password`; the ETK is `etkFile`, or the file next to the keystore with
    /// the same name and `.etk`, if there is one.
    public static func read(file: URL, password: String, etkFile: URL? = nil, at now: Date = Date()) throws -> KeystoreReport {
        let keystore: Keystore
        do {
            keystore = try Keystore(contentsOf: file, password: password)
        } catch {
            throw CertManagerError(error)
        }
        let entries = keystore.aliases.compactMap { alias -> Entry? in
            guard let entry = keystore[alias] else { return nil }
            let role: Entry.Role
            switch entry {
            case .certificate: role = .trustedCertificate
            case .privateKey where alias.lowercased() == Keystore.authenticationAlias: role = .authentication
            case .privateKey where keystore.encryptionAliases.contains(alias): role = .encryption
            case .privateKey: role = .otherKey
            }
            return Entry(alias: alias, role: role, keyAlgorithm: entry.privateKey.map { "\($0.algorithm)" },
                         certificates: entry.certificateChain.map { CertificateSummary($0, at: now) })
        }
        let etkURL = etkFile ?? file.deletingPathExtension().appendingPathExtension("etk")
        var etk: ETKSummary?
        if FileManager.default.fileExists(atPath: etkURL.path) {
            do {
                let token = try ETK(derEncoded: try Data(contentsOf: etkURL))
                let certificate = token.encryptionCertificate.certificate
                let alias = Keystore.alias(forEncryptionCertificate: certificate)
                let holdsKey = keystore[alias]?.privateKey?.belongs(to: certificate) ?? false
                etk = ETKSummary(file: etkURL, encryptionCertificate: CertificateSummary(certificate, at: now), alias: alias, keystoreHoldsKey: holdsKey)
            } catch {
                if etkFile != nil { throw CertManagerError(error) }
            }
        }
        var report = KeystoreReport(file: file, protection: keystore.format.map { "\($0)" }, entries: entries, etk: etk)
        report.isJava8Compatible = keystore.format?.isJava8Compatible
        return report
    }
}
