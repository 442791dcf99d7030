import Foundation
import Security
import SwiftASN1
import Testing
import X509

/// Writing a keystore derives its PBKDF2 key once, and files this process wrote or read open again
/// without derivations, but only when byte-for-byte the same, with the same password.
@Suite("PKCS#12 key derivations")
struct KeystoreKeyDerivationTests {
    static let password = "derivation-test-password"

    /// A keystore with two keys and three certificates: three encrypted parts.
    static func keystore() throws -> Keystore {
        var keystore = try KeystoreTesting.keystore()
        keystore.setCertificate(TestPKI.eHealthRoot.certificate, alias: "ehealth-root")
        return keystore
    }

    @Test("every AES part of a modern file shares one salt (one derivation) and has its own IV")
    func oneSaltManyIVs() throws {
        let data = try Self.keystore().pkcs12Data(password: Self.password)
        let parameters = try PBES2Parameters.all(in: Array(data))
        // Two shrouded keys and the certificate safe.
        #expect(parameters.count == 3)
        #expect(Set(parameters.map(\.salt)).count == 1)
        #expect(parameters[0].salt.count == 16)
        #expect(Set(parameters.map(\.iv)).count == parameters.count)
        #expect(parameters.allSatisfy { $0.iterations == 100_000 })
        // A second file draws a new salt.
        let other = try PBES2Parameters.all(in: Array(try Self.keystore().pkcs12Data(password: Self.password)))
        #expect(other[0].salt != parameters[0].salt)
    }

    @Test("a file read back in the same process gives what decoding its bytes gives", arguments: ["modern", "legacy", "legacy-3des"])
    func readBackEqualsDecoding(format name: String) throws {
        let format: PKCS12Format = name == "modern" ? .modern : name == "legacy" ? .legacy : .legacyTripleDES
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("store.p12")
        for keystore in [try Self.keystore(), Keystore()] {
            try keystore.write(to: file, password: Self.password, format: format, overwrite: true)
            let remembered = try Keystore(contentsOf: file, password: Self.password)
            let decoded = try Keystore(pkcs12: Data(contentsOf: file), password: Self.password)
            #expect(remembered == decoded)
            #expect(remembered.aliases == decoded.aliases)
            #expect(remembered.format == decoded.format)
        }
    }

    @Test("bytes this process wrote still need their password, and a changed byte is caught")
    func rememberedFilesAreStillChecked() throws {
        let folder = try KeystoreTesting.scratchFolder()
        defer { KeystoreTesting.remove(folder) }
        let file = folder.appendingPathComponent("store.p12")
        let keystore = try Self.keystore()
        try keystore.write(to: file, password: Self.password)

        let wrongPassword = #expect(throws: SecurityError.self) { try Keystore(contentsOf: file, password: "not-the-password") }
        #expect(wrongPassword?.code == .keystoreWrongPassword)

        let original = try Data(contentsOf: file)
        var altered = original
        altered[altered.count / 2] ^= 0x01
        try altered.write(to: file)
        let damaged = #expect(throws: SecurityError.self) { try Keystore(contentsOf: file, password: Self.password) }
        #expect(damaged?.code == .keystoreWrongPassword || damaged?.code == .keystoreCorrupt)

        try original.write(to: file)
        #expect(try Keystore(contentsOf: file, password: Self.password) == keystore)
    }
}

/// The PBES2 parameters (RFC 8018) found anywhere in a PKCS#12 file, descending into the
/// OCTET STRINGs that carry DER (the authenticated safe, the plain safe of the keys).
struct PBES2Parameters: Equatable {
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 5, 12]
    static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]

    var salt: [UInt8]
    var iterations: Int
    var iv: [UInt8]

    static func all(in der: [UInt8]) throws -> [PBES2Parameters] {
        var found: [PBES2Parameters] = []
        collect(try DER.parse(der), into: &found)
        return found
    }

    /// PBES2-params ::= SEQUENCE { keyDerivationFunc {pbkdf2, {salt, iterations, ...}}, encryptionScheme {aes256-CBC, iv} }
    private static func collect(_ node: ASN1Node, into found: inout [PBES2Parameters]) {
        switch node.content {
        case .constructed(let children):
            let parts = Array(children)
            if parts.count == 2, let parameters = pbes2(parts) {
                found.append(parameters)
                return
            }
            parts.forEach { collect($0, into: &found) }
        case .primitive(let bytes):
            if node.identifier == .octetString, let nested = try? DER.parse(Array(bytes)) {
                collect(nested, into: &found)
            }
        }
    }

    private static func pbes2(_ parts: [ASN1Node]) -> PBES2Parameters? {
        guard case .constructed(let kdf) = parts[0].content, case .constructed(let scheme) = parts[1].content else { return nil }
        let kdfParts = Array(kdf)
        let schemeParts = Array(scheme)
        guard kdfParts.count == 2, schemeParts.count == 2,
              (try? ASN1ObjectIdentifier(derEncoded: kdfParts[0])) == pbkdf2,
              (try? ASN1ObjectIdentifier(derEncoded: schemeParts[0])) == aes256CBC,
              case .constructed(let pbkdf2Parameters) = kdfParts[1].content,
              case .primitive(let iv) = schemeParts[1].content else { return nil }
        let values = Array(pbkdf2Parameters)
        guard values.count >= 2, case .primitive(let salt) = values[0].content,
              let iterations = try? Int(derEncoded: values[1]) else { return nil }
        return PBES2Parameters(salt: Array(salt), iterations: iterations, iv: Array(iv))
    }
}
