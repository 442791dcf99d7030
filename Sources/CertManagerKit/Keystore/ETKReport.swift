import Foundation
import Security
import X509

/// What an ETK file holds, for people: whose it is, its encryption certificate and validity,
/// who signed it, and, given a keystore, whether that keystore holds the ETK's private key.
///
/// Reads the DER files the platform's tools and this toolkit save, and the base64 text of
/// CompleteETKRegistrationResponse/ETK, bare or between PEM lines.
public struct ETKReport: Sendable {
    /// How the file was written.
    public enum Encoding: String, Sendable, Equatable {
        case der
        case base64
        case pem
    }

    /// Whether a keystore holds the ETK's encryption key.
    public struct KeystoreMatch: Sendable, Equatable {
        public let file: URL
        /// The alias whose private key has the encryption certificate's public key; nil when none has.
        public let alias: String?
        /// The alias the platform's connector looks the key up by: the certificate's decimal
        /// serial number (cookbook 4.1).
        public let expectedAlias: String

        public var holdsKey: Bool { alias != nil }
        /// The key is there but under another alias: the connector will not find it.
        public var aliasDiffers: Bool { alias.map { $0 != expectedAlias } ?? false }
    }

    public let file: URL
    public let encoding: Encoding
    /// The owner's DN: the encryption certificate's subject.
    public let owner: String
    /// `SSIN=…`, `CBE=…`, … when the DN has the eHealth layout.
    public let ownerIdentifier: String?
    /// The organization's application id, if the DN has one.
    public let applicationID: String?
    /// The person's or organization's name in the DN.
    public let ownerName: String?
    public let encryptionCertificate: KeystoreReport.CertificateSummary
    /// The owner's eHealth authentication certificate, which signed the encryption certificate.
    public let authenticationCertificate: KeystoreReport.CertificateSummary?
    /// The platform's ETK-RA certificate that signed the ETK.
    public let signer: KeystoreReport.CertificateSummary
    /// `SHA-256` (or `SHA-1` in old ETKs).
    public let digestAlgorithm: String
    public let keystore: KeystoreMatch?

    public var notBefore: Date { encryptionCertificate.notBefore }
    public var notAfter: Date { encryptionCertificate.notAfter }

    /// Reads `file`; with `keystore` (and its password) also looks for the ETK's private key in it.
    public static func read(file: URL, keystore keystoreFile: URL? = nil, password: String? = nil) throws -> ETKReport {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw CertManagerError(.fileFailed, .local, reason: "cannot read the ETK \(file.path): \(error.localizedDescription)",
                                   advice: "Check the file name.")
        }
        let (etk, encoding): (ETK, Encoding)
        do {
            (etk, encoding) = try decode(data)
        } catch {
            let mapped = CertManagerError(error)
            throw CertManagerError(mapped.code, mapped.category, reason: "\(file.path) is not an ETK: \(mapped.reason)",
                                   advice: "Give the .etk file saved next to the keystore, or the base64 text of an ETK.")
        }
        let certificate = etk.encryptionCertificate.certificate
        let distinguishedName = try? EHealthDistinguishedName(certificate.subject)

        var match: KeystoreMatch?
        if let keystoreFile {
            let keystore: Keystore
            do {
                keystore = try Keystore(contentsOf: keystoreFile, password: password ?? "")
            } catch {
                throw CertManagerError(error)
            }
            let expected = Keystore.alias(forEncryptionCertificate: certificate)
            let keyAliases = keystore.aliases.filter { keystore[$0]?.privateKey?.belongs(to: certificate) == true }
            // The conventional alias first: a key stored twice is reported where the connector finds it.
            let alias = keyAliases.first { $0 == expected } ?? keyAliases.first
            match = KeystoreMatch(file: keystoreFile, alias: alias, expectedAlias: expected)
        }
        return ETKReport(file: file, encoding: encoding, owner: certificate.subject.description,
                         ownerIdentifier: distinguishedName.map { $0.identifier.description },
                         applicationID: distinguishedName?.applicationID.map { "\($0)" },
                         ownerName: distinguishedName?.name,
                         encryptionCertificate: .init(certificate),
                         authenticationCertificate: etk.authenticationCertificate.map { KeystoreReport.CertificateSummary($0) },
                         signer: .init(etk.signerCertificate),
                         digestAlgorithm: etk.digestAlgorithm == ETK.sha1 ? "SHA-1" : etk.digestAlgorithm == ETK.sha256 ? "SHA-256" : "\(etk.digestAlgorithm)",
                         keystore: match)
    }

    /// DER (a SEQUENCE, first byte 0x30), PEM (`-----BEGIN …-----`), or bare base64.
    public static func decode(_ data: Data) throws -> (ETK, Encoding) {
        if data.first == 0x30 {
            return (try ETK(derEncoded: data), .der)
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN") {
            let body = text.split(whereSeparator: \.isNewline)
                .filter { !$0.hasPrefix("-----") && !$0.contains(":") }
                .joined()
            return (try ETK(base64Encoded: body), .pem)
        }
        return (try ETK(base64Encoded: text), .base64)
    }
}
