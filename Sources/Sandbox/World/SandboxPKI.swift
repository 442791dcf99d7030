import _CryptoExtras
import Crypto
import Foundation
import Security
import X509

/// The sandbox's certification authorities, kept in the state directory as PKCS#12 files.
struct SandboxPKI: Sendable {
    static let caKeystorePassword = "sandbox-ca"

    let eIDRoot: CertificateAuthority
    let citizenCA: CertificateAuthority
    let eHealthRoot: CertificateAuthority
    let eHealthCA: CertificateAuthority
    /// Signs ETKs (CN=ETK-RA,OU=eHealth-platform Belgium,O=Federal Government,C=BE).
    let etkRA: SoftwareSigningKey
    /// The CAs' keys, to save them.
    let rawKeys: [String: _RSA.Signing.PrivateKey]

    static let validity: ClosedRange<Date> = Date(timeIntervalSince1970: 1_700_000_000)...Date(timeIntervalSince1970: 2_050_000_000)

    static func rsaKey() throws -> (Certificate.PrivateKey, _RSA.Signing.PrivateKey) {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return (Certificate.PrivateKey(key), key)
    }

    static func create() throws -> SandboxPKI {
        let (eIDRootKey, eIDRootRaw) = try rsaKey()
        let eIDRoot = try CertificateAuthority.root(
            name: try DistinguishedName { CountryName("BE"); CommonName("Belgium Root CA Sandbox") },
            key: eIDRootKey, validity: validity)
        let (citizenKey, citizenRaw) = try rsaKey()
        let citizenCA = try eIDRoot.intermediate(
            name: try DistinguishedName { CountryName("BE"); CommonName("Citizen CA Sandbox") },
            key: citizenKey, validity: validity)
        let (eHealthRootKey, eHealthRootRaw) = try rsaKey()
        let eHealthRoot = try CertificateAuthority.root(
            name: try DistinguishedName { CountryName("BE"); OrganizationName("Federal Government"); CommonName("eHealth Root CA Sandbox") },
            key: eHealthRootKey, validity: validity)
        let (eHealthCAKey, eHealthCARaw) = try rsaKey()
        let eHealthCA = try eHealthRoot.intermediate(
            name: try DistinguishedName { CountryName("BE"); OrganizationName("Federal Government"); CommonName("eHealth issuing CA Sandbox") },
            key: eHealthCAKey, validity: validity)
        let (etkRAKey, etkRARaw) = try rsaKey()
        let etkRACertificate = try eHealthCA.issue(
            subject: try DistinguishedName {
                CountryName("BE"); OrganizationName("Federal Government")
                OrganizationalUnitName("eHealth-platform Belgium"); CommonName("ETK-RA")
            },
            publicKey: etkRAKey.publicKey, validity: validity,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, nonRepudiation: true)) })
        let etkRA = try SoftwareSigningKey(key: .rsa(etkRARaw), certificateChain: [etkRACertificate] + eHealthCA.chainBelowRoot)
        return SandboxPKI(eIDRoot: eIDRoot, citizenCA: citizenCA, eHealthRoot: eHealthRoot, eHealthCA: eHealthCA, etkRA: etkRA,
                          rawKeys: ["eid-root": eIDRootRaw, "citizen-ca": citizenRaw, "ehealth-root": eHealthRootRaw, "ehealth-ca": eHealthCARaw])
    }

    // MARK: persistence

    private static let names = ["eid-root", "citizen-ca", "ehealth-root", "ehealth-ca"]

    func save(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (name, authority) in zip(Self.names, [eIDRoot, citizenCA, eHealthRoot, eHealthCA]) {
            guard let key = rawKeys[name] else { throw SandboxError.world("no key for the CA \(name)") }
            var keystore = Keystore()
            try keystore.setPrivateKey(try KeystorePrivateKey(.rsa(key)), certificateChain: [authority.certificate], alias: "ca")
            try keystore.write(to: folder.appendingPathComponent(name + ".p12"), password: Self.caKeystorePassword, overwrite: true)
        }
        var etk = Keystore()
        try etk.setPrivateKey(try KeystorePrivateKey(etkRA.key), certificateChain: etkRA.certificateChain, alias: "etk-ra")
        try etk.write(to: folder.appendingPathComponent("etk-ra.p12"), password: Self.caKeystorePassword, overwrite: true)
    }

    static func load(from folder: URL) throws -> SandboxPKI {
        var keys: [String: _RSA.Signing.PrivateKey] = [:]
        func authority(_ name: String, parent: CertificateAuthority?) throws -> CertificateAuthority {
            let keystore = try Keystore(contentsOf: folder.appendingPathComponent(name + ".p12"), password: caKeystorePassword)
            guard case .privateKey(let key, let chain)? = keystore["ca"], let certificate = chain.first,
                  case .rsa(let raw) = try key.signingKey() else {
                throw SandboxError.world("the CA keystore \(name).p12 has no RSA key")
            }
            keys[name] = raw
            return CertificateAuthority(certificate: certificate, privateKey: Certificate.PrivateKey(raw),
                                        chainBelowRoot: parent == nil ? [] : [certificate] + (parent?.chainBelowRoot ?? []))
        }
        let eIDRoot = try authority("eid-root", parent: nil)
        let citizenCA = try authority("citizen-ca", parent: eIDRoot)
        let eHealthRoot = try authority("ehealth-root", parent: nil)
        let eHealthCA = try authority("ehealth-ca", parent: eHealthRoot)
        let etk = try Keystore(contentsOf: folder.appendingPathComponent("etk-ra.p12"), password: caKeystorePassword)
        let etkRA = try etk.signingKey(alias: "etk-ra")
        return SandboxPKI(eIDRoot: eIDRoot, citizenCA: citizenCA, eHealthRoot: eHealthRoot, eHealthCA: eHealthCA, etkRA: etkRA, rawKeys: keys)
    }
}
