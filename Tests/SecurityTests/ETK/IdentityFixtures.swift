import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
@testable import Security

/// Shared material of the DN, CSR and ETK tests: the real openssl CLI, a scratch folder, and keys
/// made once per test process (RSA key generation is slow).
enum IdentityFixtures {
    static let personDN = "CN=SSIN\\=85210123617,OU=eHealth-platform Belgium,OU=DUPONT DUPOND,OU=SSIN\\=85210123617,O=Federal Government,C=BE"
    static let organizationDN = "CN=CBE\\=0123456749\\, APPID,OU=eHealth-platform Belgium,OU=SOCIETE GENERALE,OU=CBE\\=0123456749,OU=APPID,O=Federal Government,C=BE"

    /// An eHealth authentication key (RSA 2048) and certificate for the person DN, from the test eHealth CA.
    static let authentication: SoftwareSigningKey = try! TestPKI.eHealthAuthentication(
        dn: try! EHealthDistinguishedName(personDN).distinguishedName)

    /// The RSA private key behind ``authentication``.
    static var authenticationPrivateKey: _RSA.Signing.PrivateKey {
        guard case .rsa(let key) = authentication.key else { fatalError("the test authentication key is RSA") }
        return key
    }

    // `_RSA.Encryption.PrivateKey` is not Sendable: share the DER, make keys from it.
    private static let encryptionKeyDER = try! EncryptionCertificate.generatePrivateKey().derRepresentation
    private static let otherEncryptionKeyDER = try! EncryptionCertificate.generatePrivateKey().derRepresentation
    static var encryptionKey: _RSA.Encryption.PrivateKey { try! _RSA.Encryption.PrivateKey(derRepresentation: encryptionKeyDER) }
    static var otherEncryptionKey: _RSA.Encryption.PrivateKey { try! _RSA.Encryption.PrivateKey(derRepresentation: otherEncryptionKeyDER) }

    /// The platform's ETK-RA: `CN=ETK-RA,OU=eHealth-platform Belgium,O=Federal Government,C=BE`, issued by the eHealth CA.
    static let etkRA: SoftwareSigningKey = try! etkRA(validity: TestPKI.validity)

    static func etkRA(validity: ClosedRange<Date>) throws -> SoftwareSigningKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try TestPKI.eHealthCA.issue(
            subject: try EHealthDistinguishedNameTestsSupport.x509("CN=ETK-RA,OU=eHealth-platform Belgium,O=Federal Government,C=BE"),
            publicKey: Certificate.PublicKey(key.publicKey), validity: validity,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true)) })
        return try SoftwareSigningKey(key: .rsa(key), certificateChain: [certificate] + TestPKI.eHealthCA.chainBelowRoot)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    // MARK: - The openssl CLI

    struct Run {
        let status: Int32
        let output: Data
        let error: String
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Runs `openssl` with `arguments` in `folder`.
    @discardableResult
    static func openssl(_ arguments: [String], in folder: URL, input: Data? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        // Files rather than pipes: a tool writing much cannot block on a full pipe.
        let name = UUID().uuidString
        let outputURL = folder.appendingPathComponent("\(name).stdout")
        let errorURL = folder.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer { try? output.close(); try? error.close() }
        process.standardOutput = output
        process.standardError = error
        if let input {
            let inputURL = folder.appendingPathComponent("\(name).stdin")
            try input.write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: try Data(contentsOf: outputURL),
                   error: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// A fresh scratch folder.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ bytes: some DataProtocol, to name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}

/// Small helpers the DN tests share with the others.
enum EHealthDistinguishedNameTestsSupport {
    /// Any DN string as an X509.DistinguishedName, through the generic RFC 4514 reader.
    static func x509(_ string: String) throws -> DistinguishedName {
        try RFC4514DistinguishedName(parsing: string).distinguishedName
    }
}
