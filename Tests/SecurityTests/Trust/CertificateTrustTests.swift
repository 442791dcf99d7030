import _CryptoExtras
import Crypto
import Foundation
import Security
import SwiftASN1
import Testing
import X509

/// The one chain path (`CertificateTrust`, swift-certificates' Verifier): what it refuses.
@Suite struct CertificateTrustTests {
    static let now = Date()
    static let valid: ClosedRange<Date> = now.addingTimeInterval(-86_400)...now.addingTimeInterval(86_400 * 365)

    static func name(_ common: String) throws -> DistinguishedName {
        try DistinguishedName { CountryName("BE"); OrganizationName("Federal Government"); CommonName(common) }
    }

    static func rsaKey() throws -> Certificate.PrivateKey {
        Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    /// root → issuing CA, RSA (SHA-256) as the eHealth PKI.
    static let root = try! CertificateAuthority.root(name: try! name("Trust Test Root"), key: try! rsaKey(), validity: valid)
    static let issuing = try! root.intermediate(name: try! name("Trust Test CA"), key: try! rsaKey(), validity: valid)
    static let leafKey = P256.Signing.PrivateKey()

    static func authenticationExtensions(clientAuth: Bool = true) throws -> Certificate.Extensions {
        try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage(clientAuth ? [.clientAuth] : [.emailProtection])
        }
    }

    static func leaf(by ca: CertificateAuthority = issuing, validity: ClosedRange<Date> = valid,
                     extensions: Certificate.Extensions? = nil) throws -> Certificate {
        try ca.issue(subject: try name("leaf"), publicKey: Certificate.PublicKey(leafKey.publicKey), validity: validity,
                     extensions: try extensions ?? authenticationExtensions())
    }

    func refusal(_ leaf: Certificate, intermediates: [Certificate] = [issuing.certificate], roots: [Certificate] = [root.certificate],
                 validity: CertificateTrust.Validity = .at(now), usage: CertificateUsagePolicy.Usage = .eHealthAuthentication) async -> SecurityError? {
        await #expect(throws: SecurityError.self) {
            try await CertificateTrust(roots: roots).validate(leaf, intermediates: intermediates, validity: validity, usage: usage)
        }
    }

    @Test func aGoodChainValidatesLeafFirstRootLast() async throws {
        let leaf = try Self.leaf()
        let chain = try await CertificateTrust(roots: [Self.root.certificate])
            .validate(leaf, intermediates: [Self.root.certificate, Self.issuing.certificate], validity: .at(Self.now), usage: .eHealthAuthentication)
        #expect(chain == [leaf, Self.issuing.certificate, Self.root.certificate])
    }

    @Test func anotherRootIsNotTrusted() async throws {
        let other = try CertificateAuthority.root(name: try Self.name("Trust Test Root"), key: try Self.rsaKey(), validity: Self.valid)
        let error = await refusal(try Self.leaf(), roots: [other.certificate])
        #expect(error?.code == .untrustedCertificate)
    }

    @Test func anExpiredOrNotYetValidCertificateIsRefusedUnlessDatesAreNotChecked() async throws {
        let expired = try Self.leaf(validity: Self.now.addingTimeInterval(-86_400 * 10)...Self.now.addingTimeInterval(-86_400))
        #expect(await refusal(expired)?.code == .untrustedCertificate)
        let future = try Self.leaf(validity: Self.now.addingTimeInterval(86_400)...Self.now.addingTimeInterval(86_400 * 10))
        #expect(await refusal(future)?.code == .untrustedCertificate)
        // An ETK-RA certificate may be expired: the ETK check does not look at dates.
        let chain = try await CertificateTrust(roots: [Self.root.certificate])
            .validate(expired, intermediates: [Self.issuing.certificate], validity: .notChecked, usage: .signature)
        #expect(chain.count == 3)
    }

    @Test func keyUsageAndClientAuthAreRequiredOfAnAuthenticationCertificate() async throws {
        let encipherOnly = try Self.leaf(extensions: try Certificate.Extensions { Critical(KeyUsage(keyEncipherment: true)) })
        #expect(await refusal(encipherOnly)?.reason.contains("digital signatures") == true)
        let emailOnly = try Self.leaf(extensions: try Self.authenticationExtensions(clientAuth: false))
        #expect(await refusal(emailOnly)?.reason.contains("client authentication") == true)
        // Without an extended key usage at all, clientAuth is not asked for.
        let noEKU = try Self.leaf(extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) })
        _ = try await CertificateTrust(roots: [Self.root.certificate])
            .validate(noEKU, intermediates: [Self.issuing.certificate], validity: .at(Self.now), usage: .eHealthAuthentication)
    }

    @Test func aPathLengthConstraintIsEnforced() async throws {
        // The issuing CA has pathLen 0: a CA below it may not issue.
        let subCA = try Self.issuing.intermediate(name: try Self.name("Sub CA"), key: try Self.rsaKey(), validity: Self.valid)
        let error = await refusal(try Self.leaf(by: subCA), intermediates: [Self.issuing.certificate, subCA.certificate])
        #expect(error?.code == .untrustedCertificate)
    }

    @Test func anUnknownCriticalExtensionIsRefused() async throws {
        var extensions = try Self.authenticationExtensions()
        try extensions.append(Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00]))
        #expect(await refusal(try Self.leaf(extensions: extensions))?.code == .untrustedCertificate)
    }

    /// Issue 13: the hand-written chain check had no name constraints. A CA restricted to
    /// ehealth.fgov.be may not vouch for another domain.
    @Test func aNameConstraintOfAnIssuerIsEnforced() async throws {
        let key = try Self.rsaKey()
        let constrained = CertificateAuthority(
            certificate: try Self.root.issue(
                subject: try Self.name("Constrained CA"), publicKey: key.publicKey, validity: Self.valid,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    Critical(NameConstraints(permittedDNSDomains: ["ehealth.fgov.be"]))
                }),
            privateKey: key, chainBelowRoot: [])
        func leaf(dnsName: String) throws -> Certificate {
            var extensions = try Self.authenticationExtensions()
            try extensions.append(Certificate.Extension(SubjectAlternativeNames([.dnsName(dnsName)]), critical: false))
            return try Self.leaf(by: constrained, extensions: extensions)
        }
        let inside = try leaf(dnsName: "services.ehealth.fgov.be")
        _ = try await CertificateTrust(roots: [Self.root.certificate])
            .validate(inside, intermediates: [constrained.certificate], validity: .at(Self.now), usage: .eHealthAuthentication)
        let outside = try leaf(dnsName: "services.example.com")
        let error = await refusal(outside, intermediates: [constrained.certificate])
        #expect(error?.code == .untrustedCertificate)
    }

    @Test func aSHA1SignedCertificateIsRefused() async throws {
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(Self.leafKey.publicKey),
            notValidBefore: Self.valid.lowerBound, notValidAfter: Self.valid.upperBound,
            issuer: Self.issuing.certificate.subject, subject: try Self.name("sha1 leaf"),
            signatureAlgorithm: .sha1WithRSAEncryption, extensions: try Self.authenticationExtensions(),
            issuerPrivateKey: Self.issuing.privateKey)
        let error = await refusal(leaf)
        #expect(error?.reason.contains("no longer accepted") == true, "\(String(describing: error))")
    }

    @Test func pemBundlesAreRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trust-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = folder.appendingPathComponent("roots.pem")
        try (try Self.root.certificate.serializeAsPEM().pemString + "\n" + Self.issuing.certificate.serializeAsPEM().pemString + "\n")
            .write(to: bundle, atomically: true, encoding: .utf8)
        #expect(try CertificateTrust(pemFiles: [bundle]).roots == [Self.root.certificate, Self.issuing.certificate])
        let empty = folder.appendingPathComponent("empty.pem")
        try "no certificate here\n".write(to: empty, atomically: true, encoding: .utf8)
        let error = #expect(throws: SecurityError.self) { try CertificateTrust(pemFiles: [empty]) }
        #expect(error?.code == .trustAnchorUnreadable)
    }
}
