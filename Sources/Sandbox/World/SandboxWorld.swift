import _CryptoExtras
import Crypto
import Foundation
import Security
import X509

/// The sandbox's test world in a state directory: its CAs, its citizens with software eIDs, its
/// organizations, and the trust anchors clients need (`trust/eid-root.pem`, `trust/ehealth-root.pem`).
///
/// Layout: `world.json` (people and organizations), `ca/*.p12` (CA keys), `citizens/<SSIN>/eid.p12`,
/// `trust/*.pem`, `state.sqlite` (what clients did; see StateStore).
public struct SandboxWorld: Sendable {
    /// The password of every citizen's software eID (`citizens/<SSIN>/eid.p12`).
    public static let citizenKeystorePassword = "sandbox"

    public let directory: URL
    public let citizens: [SandboxCitizen]
    public let organizations: [SandboxOrganization]
    let pki: SandboxPKI

    public var trustDirectory: URL { directory.appendingPathComponent("trust") }
    public var eIDRoot: Certificate { pki.eIDRoot.certificate }
    public var eHealthRoot: Certificate { pki.eHealthRoot.certificate }

    private struct Manifest: Codable {
        var citizens: [SandboxCitizen]
        var organizations: [SandboxOrganization]
    }

    /// The people of every new world. SSINs have valid check digits; one name has diacritics,
    /// one eID is EC P-384 (applet 1.8), one person has no health-care quality, one may manage
    /// organizations, one needs manual validation, and one is a foreigner with a BIS number.
    static let people: [(ssin: String, first: String, last: String, ec: Bool, qualities: Bool, organizations: [String], automatic: Bool)] = [
        ("85073003328", "Jean", "DUPONT", false, true, ["CBE=0412345614", "NIHII-HOSPITAL=71000436"], true),
        ("90021512766", "Éléonore", "Müller-Lefèvre", false, true, [], true),
        ("77041228431", "An", "PEETERS", true, true, [], true),
        ("05010101202", "Lucas", "MARTIN", false, false, [], true),
        ("68112235109", "Marie", "LAMBERT", false, true, ["CBE=0876543270"], false),
    ]

    static let organizationList = [
        SandboxOrganization(type: "CBE", id: "0412345614", nameFrench: "Cabinet médical Dupont SRL", nameDutch: "Medische praktijk Dupont BV"),
        SandboxOrganization(type: "NIHII-HOSPITAL", id: "71000436", nameFrench: "Hôpital du Bac à Sable", nameDutch: "Zandbakziekenhuis"),
        SandboxOrganization(type: "CBE", id: "0876543270", nameFrench: "Pharmacie Lambert", nameDutch: "Apotheek Lambert"),
    ]

    /// Opens the world in `directory`, creating it first if it does not exist yet.
    public static func create(at directory: URL) throws -> SandboxWorld {
        let manifestURL = directory.appendingPathComponent("world.json")
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            return try load(from: directory)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let pki = try SandboxPKI.create()
        try pki.save(in: directory.appendingPathComponent("ca"))
        var citizens: [SandboxCitizen] = []
        for person in people {
            let folder = directory.appendingPathComponent("citizens/\(person.ssin)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let eid = folder.appendingPathComponent("eid.p12")
            try issueEID(person.ssin, person.first, person.last, ec: person.ec, authority: pki.citizenCA).write(
                to: eid, password: citizenKeystorePassword, overwrite: true)
            citizens.append(SandboxCitizen(ssin: person.ssin, firstName: person.first, lastName: person.last,
                                           keyKind: person.ec ? "EC P-384" : "RSA 2048", hasQualities: person.qualities,
                                           organizations: person.organizations, automaticValidation: person.automatic,
                                           eidKeystore: eid))
        }
        let trust = directory.appendingPathComponent("trust")
        try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
        try writePEM(pki.eIDRoot.certificate, to: trust.appendingPathComponent("eid-root.pem"))
        try writePEM(pki.eHealthRoot.certificate, to: trust.appendingPathComponent("ehealth-root.pem"))
        let manifest = Manifest(citizens: citizens, organizations: organizationList)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Written last: a world without world.json is incomplete and made again from scratch.
        try encoder.encode(manifest).write(to: manifestURL, options: .atomic)
        return SandboxWorld(directory: directory, citizens: citizens, organizations: organizationList, pki: pki)
    }

    public static func load(from directory: URL) throws -> SandboxWorld {
        let data: Data
        do {
            data = try Data(contentsOf: directory.appendingPathComponent("world.json"))
        } catch {
            throw SandboxError.world("no sandbox world in \(directory.path); run `ehcert-sandbox init --state \(directory.path)`")
        }
        var manifest = try JSONDecoder().decode(Manifest.self, from: data)
        // The folder may have moved since it was made.
        for index in manifest.citizens.indices {
            manifest.citizens[index].eidKeystore = directory.appendingPathComponent("citizens/\(manifest.citizens[index].ssin)/eid.p12")
        }
        return SandboxWorld(directory: directory, citizens: manifest.citizens, organizations: manifest.organizations,
                            pki: try SandboxPKI.load(from: directory.appendingPathComponent("ca")))
    }

    public func citizen(ssin: String) -> SandboxCitizen? {
        citizens.first { $0.ssin == ssin }
    }

    public func organization(type: String, id: String) -> SandboxOrganization? {
        organizations.first { $0.type == type && $0.id == id }
    }

    /// A Belgian eID card as a PKCS#12 file: `Authentication` and `Signature` keys with their chains.
    static func issueEID(_ ssin: String, _ firstName: String, _ lastName: String, ec: Bool, authority: CertificateAuthority) throws -> Keystore {
        var keystore = Keystore()
        for role in ["Authentication", "Signature"] {
            let privateKey: KeystorePrivateKey
            let publicKey: Certificate.PublicKey
            if ec {
                let key = P384.Signing.PrivateKey()
                privateKey = try KeystorePrivateKey(.p384(key))
                publicKey = Certificate.PublicKey(key.publicKey)
            } else {
                let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                privateKey = try KeystorePrivateKey(.rsa(key))
                publicKey = Certificate.PublicKey(key.publicKey)
            }
            let base = try DistinguishedName {
                CountryName("BE")
                CommonName("\(firstName) \(lastName) (\(role))")
            }
            // eID certificates carry surname, given name and the SSIN (serialNumber, 2.5.4.5).
            let extra = [
                RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 4], utf8String: lastName)),
                RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 42], utf8String: firstName)),
                RelativeDistinguishedName(try RelativeDistinguishedName.Attribute(type: [2, 5, 4, 5], printableString: ssin)),
            ]
            let usage = role == "Authentication" ? KeyUsage(digitalSignature: true) : KeyUsage(nonRepudiation: true)
            let certificate = try authority.issue(
                subject: DistinguishedName(Array(base) + extra), publicKey: publicKey, validity: SandboxPKI.validity,
                extensions: try Certificate.Extensions { Critical(usage) })
            try keystore.setPrivateKey(privateKey, certificateChain: [certificate] + authority.chainBelowRoot, alias: role)
        }
        return keystore
    }

    static func writePEM(_ certificate: Certificate, to url: URL) throws {
        try Data(certificate.serializeAsPEM().pemString.utf8).write(to: url, options: .atomic)
    }
}
