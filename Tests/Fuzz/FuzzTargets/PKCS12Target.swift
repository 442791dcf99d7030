import Foundation
import Security

/// Keystore reading (`Keystore(pkcs12:password:)`, OpenSSL behind it) with the password
/// `fuzz`, then what the flows do with a keystore: each entry's key and chain, the
/// authentication key, the encryption keys, and writing it again.
public struct PKCS12Target: FuzzTarget {
    public static let name = "pkcs12"
    public static let password = "fuzz"
    /// Seeds are written with one iteration so that an input costs the parsing, not PBKDF2.
    static func format(_ base: PKCS12Format) -> PKCS12Format {
        var format = PKCS12Format(keyEncryption: base.keyEncryption, certificateEncryption: base.certificateEncryption,
                                  mac: base.mac, iterations: 1)
        format.allowsFewerIterations = true
        return format
    }

    public init(environment: FuzzEnvironment) {}

    public func run(_ data: Data) {
        guard let keystore = try? Keystore(pkcs12: data, password: Self.password) else { return }
        _ = keystore.format?.description
        for alias in keystore.aliases {
            guard let entry = keystore[alias] else { continue }
            _ = entry.certificateChain.map(\.subject.description)
            _ = entry.privateKey
        }
        _ = try? keystore.authenticationKey()
        for alias in keystore.encryptionAliases {
            _ = alias
        }
        if let rewritten = try? keystore.pkcs12Data(password: Self.password, format: Self.format(keystore.format ?? .modern)) {
            _ = try? Keystore(pkcs12: rewritten, password: Self.password)
        }
    }

    /// The demo's keystores and the demo world's citizens' eID files, written again with the
    /// password `fuzz`, one iteration, in each of the three formats.
    public static func seeds(from demo: DemoArtifacts) throws -> [Data] {
        var keystores: [Keystore] = []
        for file in try demo.keystores() {
            keystores.append(try Keystore(contentsOf: file, password: "ehcert-demo"))
        }
        let citizens = demo.sandboxDirectory.appendingPathComponent("citizens")
        for ssin in ((try? FileManager.default.contentsOfDirectory(atPath: citizens.path)) ?? []).sorted().prefix(3) {
            let file = citizens.appendingPathComponent(ssin).appendingPathComponent("eid.p12")
            if let keystore = try? Keystore(contentsOf: file, password: "sandbox") { keystores.append(keystore) }
        }
        var seeds: [Data] = []
        for keystore in keystores.prefix(6) {
            for base in [PKCS12Format.modern, .legacy, .legacyTripleDES] {
                seeds.append(try keystore.pkcs12Data(password: password, format: format(base)))
            }
        }
        return seeds
    }
}
