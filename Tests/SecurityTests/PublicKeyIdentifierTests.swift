import Foundation
import Testing
import X509
@testable import Security

@Suite struct PublicKeyIdentifierTests {
    @Test func matchesOpenSSLSubjectKeyIdentifierMethodOne() throws {
        // OpenSSL's default subjectKeyIdentifier (hash) is RFC 5280 method 1: compare with it.
        let key = try TestPKI.eHealthAuthentication(dn: try DistinguishedName { CountryName("BE"); CommonName("SSIN=85210123617") })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pem = folder.appendingPathComponent("cert.pem")
        try TestPKI.pem(key.certificate).write(to: pem, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-in", pem.path, "-noout", "-pubkey"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let publicKeyPEM = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let base64 = publicKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: base64))
        let fromDER = try PublicKeyIdentifier(subjectPublicKeyInfoDER: Array(der))
        #expect(try PublicKeyIdentifier(certificate: key.certificate) == fromDER)
        // The CA put the identifier into the SKI extension; it must agree.
        let ski = try #require(try key.certificate.extensions.subjectKeyIdentifier)
        #expect(Array(ski.keyIdentifier) == fromDER.bytes)
        #expect(fromDER.hex.count == 40)
    }

    @Test func rejectsWrongLengthsAndBadHex() {
        #expect(throws: SecurityError.self) { try PublicKeyIdentifier(bytes: [1, 2, 3]) }
        #expect(throws: SecurityError.self) { try PublicKeyIdentifier(hex: "zz") }
        #expect(throws: SecurityError.self) { try PublicKeyIdentifier(hex: String(repeating: "A", count: 39)) }
    }
}
