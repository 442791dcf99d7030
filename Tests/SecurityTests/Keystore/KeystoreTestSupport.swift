import _CryptoExtras
import Crypto
import Foundation
import Security
import SwiftASN1
import Testing
import X509

/// Material and helpers shared by the keystore and PKCS#11 tests: an eHealth identity (RSA
/// authentication key + ETK encryption keys), an EC P-384 one (as issued since 2024), a scratch
/// folder, the external tools, and signature verification with the certificate's public key.
enum KeystoreTesting {
    struct EHealthIdentity: Sendable {
        let authentication: SoftwareSigningKey
        /// The ETK encryption key (RSA 2048; `_RSA.Encryption.PrivateKey` is not Sendable).
        let encryptionKey: KeystorePrivateKey
        let encryptionCertificate: Certificate
    }

    static let dn = try! DistinguishedName {
        CountryName("BE")
        OrganizationName("Federal Government")
        OrganizationalUnitName("SSIN=85210123617")
        OrganizationalUnitName("DUPONT DUPOND")
        OrganizationalUnitName("eHealth-platform Belgium")
        CommonName("SSIN=85210123617")
    }

    /// RSA 2048, with one encryption key (built once per test process: RSA generation is slow).
    static let rsaIdentity: EHealthIdentity = try! makeIdentity(keys: .rsa2048)
    /// EC P-384 authentication (acceptance certificates since 2024), RSA encryption key.
    static let ecIdentity: EHealthIdentity = try! makeIdentity(keys: .p384)

    static func makeIdentity(keys: TestPKI.KeyKind) throws -> EHealthIdentity {
        let authentication = try TestPKI.eHealthAuthentication(dn: dn, keys: keys)
        let (key, certificate) = try encryptionCertificate(for: authentication)
        return EHealthIdentity(authentication: authentication, encryptionKey: try KeystorePrivateKey(key), encryptionCertificate: certificate)
    }

    /// An encryption certificate shaped as protocol-facts describes it: 16-byte serial, subject and
    /// issuer the authentication subject, signed by the authentication key.
    static func encryptionCertificate(for authentication: SoftwareSigningKey, serial: [UInt8]? = nil) throws -> (_RSA.Encryption.PrivateKey, Certificate) {
        let signingKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let encryptionKey = try _RSA.Encryption.PrivateKey(derRepresentation: signingKey.derRepresentation)
        var serialBytes = serial ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
        serialBytes[0] &= 0x7F
        serialBytes[0] |= 0x01
        let issuerKey: Certificate.PrivateKey
        let algorithm: Certificate.SignatureAlgorithm
        switch authentication.key {
        case .rsa(let key): issuerKey = Certificate.PrivateKey(key); algorithm = .sha256WithRSAEncryption
        case .p384(let key): issuerKey = Certificate.PrivateKey(key); algorithm = .ecdsaWithSHA384
        case .p256(let key): issuerKey = Certificate.PrivateKey(key); algorithm = .ecdsaWithSHA256
        }
        let leaf = authentication.certificate
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: ArraySlice(serialBytes)),
            publicKey: Certificate.PublicKey(signingKey.publicKey),
            notValidBefore: leaf.notValidBefore, notValidAfter: leaf.notValidAfter,
            issuer: leaf.subject, subject: leaf.subject, signatureAlgorithm: algorithm,
            extensions: try Certificate.Extensions { Critical(KeyUsage(keyEncipherment: true, dataEncipherment: true)) },
            issuerPrivateKey: issuerKey)
        return (encryptionKey, certificate)
    }

    /// A keystore with the eHealth layout: `authentication` with its chain, the encryption key
    /// under its serial, and the eHealth root as a certificate entry.
    static func keystore(_ identity: EHealthIdentity = rsaIdentity) throws -> Keystore {
        var keystore = Keystore()
        try keystore.setAuthenticationKey(identity.authentication)
        try keystore.addEncryptionKey(identity.encryptionKey, certificate: identity.encryptionCertificate)
        return keystore
    }

    // MARK: Files and tools

    /// A fresh folder under the system's temporary folder, removed by the caller's `defer`.
    static func scratchFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ehealth-keys-\(safe)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    struct ToolResult: Sendable {
        let status: Int32
        /// Standard output and standard error together (openssl -info reports on stderr).
        let output: String
    }

    /// Runs an external program (openssl, keytool, softhsm2-util, pkcs11-tool, the script).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    static func toolExists(_ name: String) -> Bool {
        ["/usr/bin", "/usr/local/bin", "/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    static func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
    }

    // MARK: Signatures

    /// Verifies a `SigningKey` signature (RSA PKCS#1 v1.5 SHA-256, ECDSA raw r||s with SHA-384
    /// for P-384 and SHA-256 for P-256) with the certificate's public key.
    static func verify(_ signature: Data, over data: Data, with certificate: Certificate) -> Bool {
        if let rsa = _RSA.Signing.PublicKey(certificate.publicKey) {
            return rsa.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        }
        if let ec = P384.Signing.PublicKey(certificate.publicKey),
           let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) {
            return ec.isValidSignature(parsed, for: SHA384.hash(data: data))
        }
        if let ec = P256.Signing.PublicKey(certificate.publicKey),
           let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) {
            return ec.isValidSignature(parsed, for: SHA256.hash(data: data))
        }
        return false
    }
}
