import Foundation
@_spi(FixedExpiryValidationTime) @_spi(DisableValidityCheck) import X509
import SwiftASN1

/// The one chain-building and validation path of the code base: swift-certificates' `Verifier`
/// with its RFC 5280 policy (version, validity, basic constraints and pathLen, name constraints,
/// unknown critical extensions) and `CertificateUsagePolicy` (key usage, extended key usage,
/// no SHA-1 signatures), anchored at the given roots. The delivered eHealth certificate, the
/// signer of a signed request and the ETK's signer are all checked here.
public struct CertificateTrust: Sendable {
    /// The trust anchors.
    public let roots: [Certificate]

    public init(roots: [Certificate]) {
        self.roots = roots
    }

    /// The certificates of PEM files (bundles: every CERTIFICATE block of each file).
    public init(pemFiles: [URL]) throws {
        var roots: [Certificate] = []
        for file in pemFiles {
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw SecurityError(.trustAnchorUnreadable, "cannot read the trust anchors in \(file.path): \(error.localizedDescription)")
            }
            let documents: [PEMDocument]
            do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
                throw SecurityError(.trustAnchorUnreadable, "\(file.path) is not a PEM file: \(error)")
            }
            let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { document in
                do { return try Certificate(pemDocument: document) } catch {
                    throw SecurityError(.trustAnchorUnreadable, "\(file.path) holds a certificate that cannot be read: \(error)")
                }
            }
            guard !certificates.isEmpty else { throw SecurityError(.trustAnchorUnreadable, "\(file.path) holds no PEM certificate") }
            roots += certificates
        }
        self.init(roots: roots)
    }

    /// When the certificates must be valid.
    public enum Validity: Sendable {
        /// At this instant.
        case at(Date)
        /// Not checked (the caller checks it, or accepts expired certificates: ETK-RA signers).
        case notChecked
    }

    /// Validates `leaf` through `intermediates` (any order; copies of roots allowed) to one of
    /// the roots. Returns the chain, leaf first, root last; throws `untrustedCertificate`
    /// saying why no chain was acceptable.
    public func validate(_ leaf: Certificate, intermediates: [Certificate], validity: Validity,
                         usage: CertificateUsagePolicy.Usage) async throws -> [Certificate] {
        let usagePolicy = CertificateUsagePolicy(usage: usage)
        let result: CertificateValidationResult
        switch validity {
        case .at(let time):
            var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
                RFC5280Policy(fixedExpiryValidationTime: time)
                usagePolicy
            }
            result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        case .notChecked:
            var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
                RFC5280Policy.withValidityCheckDisabled()
                usagePolicy
            }
            result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        }
        switch result {
        case .validCertificate(let chain):
            return Array(chain)
        case .couldNotValidate(let failures):
            let reasons = Set(failures.map { $0.policyFailureReason.description }).sorted()
            let why = reasons.isEmpty
                ? "no chain leads from it to a trusted root (issuer \(leaf.issuer))"
                : reasons.joined(separator: "; ")
            throw SecurityError(.untrustedCertificate, "the certificate \(leaf.subject) is not trusted: \(why)")
        }
    }
}

/// What a certificate must be for, on top of RFC 5280: the leaf's key usage and extended key
/// usage, certificate authorities allowed to sign certificates, and no SHA-1 (or MD5) signature
/// below the root (a root's self-signature proves nothing and is not judged).
public struct CertificateUsagePolicy: VerifierPolicy, Sendable {
    public enum Usage: Sendable, Equatable {
        /// An eHealth authentication certificate: digitalSignature; clientAuth if it has an
        /// extended key usage at all.
        case eHealthAuthentication
        /// Any signing certificate: digitalSignature or nonRepudiation.
        case signature
    }

    public let usage: Usage
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
    ]

    public init(usage: Usage) {
        self.usage = usage
    }

    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let certificates = Array(chain)
        let leaf = certificates[0]
        let keyUsage: KeyUsage?
        let extendedKeyUsage: ExtendedKeyUsage?
        do {
            keyUsage = try leaf.extensions.keyUsage
            extendedKeyUsage = try leaf.extensions.extendedKeyUsage
        } catch {
            return .failsToMeetPolicy(reason: "its key usage extensions cannot be read (\(error))")
        }
        switch usage {
        case .eHealthAuthentication:
            guard keyUsage?.digitalSignature == true else {
                return .failsToMeetPolicy(reason: "\(leaf.subject) is not for digital signatures (key usage \(keyUsage.map { "\($0)" } ?? "absent"))")
            }
            if let extendedKeyUsage, !extendedKeyUsage.contains(.clientAuth) {
                return .failsToMeetPolicy(reason: "\(leaf.subject) is not for client authentication (extended key usage \(extendedKeyUsage))")
            }
        case .signature:
            if let keyUsage, !keyUsage.digitalSignature, !keyUsage.nonRepudiation {
                return .failsToMeetPolicy(reason: "\(leaf.subject) is not for signatures (key usage \(keyUsage))")
            }
        }
        for issuer in certificates.dropFirst() {
            if let usage = try? issuer.extensions.keyUsage, !usage.keyCertSign {
                return .failsToMeetPolicy(reason: "\(issuer.subject) may not sign certificates (key usage \(usage))")
            }
        }
        for certificate in certificates.dropLast() where Self.isWeak(certificate.signatureAlgorithm) {
            return .failsToMeetPolicy(reason: "\(certificate.subject) is signed with \(certificate.signatureAlgorithm), which is no longer accepted")
        }
        return .meetsPolicy
    }

    static func isWeak(_ algorithm: Certificate.SignatureAlgorithm) -> Bool {
        let name = String(describing: algorithm).lowercased()
        return name.contains("sha1") || name.contains("md5")
    }
}

extension SecurityError.Code {
    /// A certificate does not chain to a trust anchor, or breaks RFC 5280 or its usage.
    public static let untrustedCertificate = Self("CERTIFICATE_UNTRUSTED")
    /// A trust anchor file cannot be read or holds no certificate.
    public static let trustAnchorUnreadable = Self("TRUST_ANCHOR_UNREADABLE")
}
