import _CryptoExtras
import Crypto
import Foundation
import Security
import X509

/// Test certificate hierarchies shaped like the real ones: an eID root and citizen CA issuing a
/// person's Authentication and Signature certificates, and an eHealth root and issuing CA.
/// Built once per test process (RSA key generation is slow) and shared.
enum TestPKI {
    enum KeyKind: Sendable { case rsa2048, p384, p256 }

    struct Citizen: Sendable {
        let ssin: String
        let authentication: SoftwareSigningKey
        let signature: SoftwareSigningKey
    }

    static let validity: ClosedRange<Date> = Date(timeIntervalSinceNow: -86_400 * 30)...Date(timeIntervalSinceNow: 86_400 * 365 * 5)

    static func privateKey(_ kind: KeyKind) throws -> (SoftwareSigningKey.Key, Certificate.PrivateKey) {
        switch kind {
        case .rsa2048:
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return (.rsa(key), Certificate.PrivateKey(key))
        case .p384:
            let key = P384.Signing.PrivateKey()
            return (.p384(key), Certificate.PrivateKey(key))
        case .p256:
            let key = P256.Signing.PrivateKey()
            return (.p256(key), Certificate.PrivateKey(key))
        }
    }

    static let eIDRoot: CertificateAuthority = try! CertificateAuthority.root(
        name: try! DistinguishedName { CountryName("BE"); CommonName("Belgium Root CA Test") },
        key: Certificate.PrivateKey(P384.Signing.PrivateKey()), validity: validity)

    static let citizenCA: CertificateAuthority = try! eIDRoot.intermediate(
        name: try! DistinguishedName { CountryName("BE"); CommonName("Citizen CA Test") },
        key: Certificate.PrivateKey(P384.Signing.PrivateKey()), validity: validity)

    static let eHealthRoot: CertificateAuthority = try! CertificateAuthority.root(
        name: try! DistinguishedName { CountryName("BE"); OrganizationName("Federal Government"); CommonName("eHealth Root CA Test") },
        key: Certificate.PrivateKey(try! _RSA.Signing.PrivateKey(keySize: .bits2048)), validity: validity)

    static let eHealthCA: CertificateAuthority = try! eHealthRoot.intermediate(
        name: try! DistinguishedName { CountryName("BE"); OrganizationName("Federal Government"); CommonName("eHealth issuing CA Test") },
        key: Certificate.PrivateKey(try! _RSA.Signing.PrivateKey(keySize: .bits2048)), validity: validity)

    /// A citizen with eID keys of the given kind (RSA 2048 for applet 1.7, P-384 for applet 1.8).
    static func citizen(ssin: String = "85210123617", surname: String = "DUPONT", givenName: String = "Jean", keys: KeyKind = .rsa2048) throws -> Citizen {
        func issue(_ role: String) throws -> SoftwareSigningKey {
            let (key, certificateKey) = try privateKey(keys)
            let base = try DistinguishedName {
                CountryName("BE")
                CommonName("\(givenName) \(surname) (\(role))")
            }
            // eID certificates carry the SSIN as the subject's serialNumber attribute (2.5.4.5).
            let serialNumber = RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 5], printableString: ssin))
            let subject = DistinguishedName(Array(base) + [serialNumber])
            let certificate = try citizenCA.issue(
                subject: subject, publicKey: certificateKey.publicKey, validity: validity,
                extensions: try Certificate.Extensions {
                    Critical(role == "Authentication" ? KeyUsage(digitalSignature: true) : KeyUsage(nonRepudiation: true))
                })
            return try SoftwareSigningKey(key: key, certificateChain: [certificate] + citizenCA.chainBelowRoot)
        }
        return Citizen(ssin: ssin, authentication: try issue("Authentication"), signature: try issue("Signature"))
    }

    /// An eHealth authentication certificate (RSA 2048) with the eHealth DN layout.
    static func eHealthAuthentication(dn: DistinguishedName, keys: KeyKind = .rsa2048) throws -> SoftwareSigningKey {
        let (key, certificateKey) = try privateKey(keys)
        let certificate = try eHealthCA.issue(
            subject: dn, publicKey: certificateKey.publicKey, validity: validity,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, keyEncipherment: true)) })
        return try SoftwareSigningKey(key: key, certificateChain: [certificate] + eHealthCA.chainBelowRoot)
    }

    /// PEM of a certificate, for the command-line tools.
    static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString
    }
}
