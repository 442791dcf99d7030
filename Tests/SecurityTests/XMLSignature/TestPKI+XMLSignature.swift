import _CryptoExtras
import Crypto
import Foundation
import Security
import X509

/// Signers the XML signature tests need beyond TestPKI's: an expired eID certificate, and a
/// look-alike PKI whose root and CA carry the real test names but other keys.
extension TestPKI {
    /// A citizen Signature key whose certificate, issued by the real test citizen CA, expired
    /// a month ago.
    static let expiredCitizenSignature: SoftwareSigningKey = {
        let (key, certificateKey) = try! privateKey(.rsa2048)
        let past = Date(timeIntervalSinceNow: -86_400 * 400)...Date(timeIntervalSinceNow: -86_400 * 30)
        let certificate = try! citizenCA.issue(
            subject: try! DistinguishedName { CountryName("BE"); CommonName("Expired Citizen (Signature)") },
            publicKey: certificateKey.publicKey, validity: past,
            extensions: try! Certificate.Extensions { Critical(KeyUsage(nonRepudiation: true)) })
        return try! SoftwareSigningKey(key: key, certificateChain: [certificate] + citizenCA.chainBelowRoot)
    }()

    /// A root named like `eIDRoot`, with another key: what an attacker can make.
    static let impostorRoot: CertificateAuthority = try! CertificateAuthority.root(
        name: eIDRoot.name, key: Certificate.PrivateKey(P384.Signing.PrivateKey()), validity: validity)

    static let impostorCitizenCA: CertificateAuthority = try! impostorRoot.intermediate(
        name: citizenCA.name, key: Certificate.PrivateKey(P384.Signing.PrivateKey()), validity: validity)

    /// A Signature key certified by the impostor PKI under the same names as a real citizen's.
    static let impostorCitizenSignature: SoftwareSigningKey = {
        let (key, certificateKey) = try! privateKey(.rsa2048)
        let certificate = try! impostorCitizenCA.issue(
            subject: try! DistinguishedName { CountryName("BE"); CommonName("Jean DUPONT (Signature)") },
            publicKey: certificateKey.publicKey, validity: validity,
            extensions: try! Certificate.Extensions { Critical(KeyUsage(nonRepudiation: true)) })
        return try! SoftwareSigningKey(key: key, certificateChain: [certificate] + impostorCitizenCA.chainBelowRoot)
    }()

    /// Shared citizens (key generation is slow): applet 1.7 (RSA) and applet 1.8 (P-384).
    static let rsaCitizen: Citizen = try! citizen(keys: .rsa2048)
    static let ecCitizen: Citizen = try! citizen(ssin: "90010112345", surname: "PEETERS", givenName: "An", keys: .p384)
    /// P-256: not on eID cards, but a key the profile signs with (ecdsa-sha256).
    static let p256Citizen: Citizen = try! citizen(ssin: "64032212345", surname: "MAES", givenName: "Luc", keys: .p256)
    static let otherRSACitizen: Citizen = try! citizen(ssin: "71071012345", surname: "JANSSENS", givenName: "Piet", keys: .rsa2048)

    static let eHealthOrganization: SoftwareSigningKey = try! eHealthAuthentication(dn: try! DistinguishedName {
        CountryName("BE")
        OrganizationName("Federal Government")
        OrganizationalUnitName("CBE=0123456749")
        OrganizationalUnitName("HOSPITAL TEST")
        OrganizationalUnitName("eHealth-platform Belgium")
        CommonName("CBE=0123456749")
    })

    /// The private key as PKCS#8 PEM, for xmlsec1.
    static func privateKeyPEM(_ key: SoftwareSigningKey) -> String {
        switch key.key {
        case .rsa(let rsa): return rsa.pemRepresentation
        case .p256(let p256): return p256.pemRepresentation
        case .p384(let p384): return p384.pemRepresentation
        }
    }
}
