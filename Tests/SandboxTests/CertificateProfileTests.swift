import _CryptoExtras
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Generated
import Sandbox
import SandboxHTTP
import Security
import SOAPRuntime
import SwiftASN1
import Testing
import X509

/// The authentication certificates the sandbox issues have the platform's profile (issue 15,
/// item 9), and the CRL and OCSP responder their extensions name are served by the sandbox
/// itself: checked with the real `openssl crl` and `openssl ocsp`, before and after `revoke`.
@Suite("Issued certificates: the platform's profile, CRL and OCSP", .serialized)
struct CertificateProfileTests {
    static let openssl = "/usr/bin/openssl"

    struct Files {
        let folder: URL
        var leaf: URL { folder.appendingPathComponent("leaf.pem") }
        var issuer: URL { folder.appendingPathComponent("issuer.pem") }
        var root: URL { folder.appendingPathComponent("root.pem") }
        var chain: URL { folder.appendingPathComponent("chain.pem") }
        var crl: URL { folder.appendingPathComponent("crl.der") }

        init(_ issued: IssuedCertificate, root: URL) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // PEM files end with a newline, so that they can be concatenated.
            try (issued.chain[0].serializeAsPEM().pemString + "\n").write(to: leaf, atomically: true, encoding: .utf8)
            try (issued.chain[1].serializeAsPEM().pemString + "\n").write(to: issuer, atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: root, to: self.root)
            let both = try String(contentsOf: issuer, encoding: .utf8) + String(contentsOf: self.root, encoding: .utf8)
            try both.write(to: chain, atomically: true, encoding: .utf8)
        }
    }

    static func url(_ certificate: Certificate, extension oid: ASN1ObjectIdentifier) throws -> String {
        let value = try require(certificate.extensions[oid: oid], "extension \(oid)").value
        // The URI is the extension's one [6] IA5String, wherever it sits in the structure.
        let bytes = Array(value)
        let start = try require(bytes.firstIndex(of: 0x86), "a URI in \(oid)")
        let length = Int(bytes[start + 1])
        return String(decoding: bytes[(start + 2)..<(start + 2 + length)], as: UTF8.self)
    }

    @Test("key usages, extended key usages, policies, CRL distribution point and OCSP as on the platform; our trust check accepts it")
    func profile() async throws {
        try await SandboxFixture.with { fixture in
            let issued = try await fixture.obtainCertificate(for: try fixture.citizen(Sandboxed.jean))
            let leaf = issued.certificate
            let usage = try require(try leaf.extensions.keyUsage, "key usage")
            #expect(usage.digitalSignature && usage.nonRepudiation && usage.keyEncipherment)
            #expect(!usage.keyCertSign && !usage.dataEncipherment)
            #expect(leaf.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
            let extended = try require(try leaf.extensions.extendedKeyUsage, "extended key usage")
            #expect(Set(extended) == [.clientAuth, .emailProtection])
            #expect(leaf.extensions[oid: [2, 5, 29, 32]] != nil, "certificate policies")
            let base = fixture.sandbox.baseURL.absoluteString
            #expect(try Self.url(leaf, extension: [2, 5, 29, 31]) == base + RevocationPublication.crlPath)
            let access = try require(try leaf.extensions.authorityInformationAccess, "authority information access")
            #expect(access.map(\.method) == [.ocspServer])
            #expect(access.first?.location == .uniformResourceIdentifier(base + RevocationPublication.ocspPath))

            // As openssl reads them.
            let files = try Files(issued, root: fixture.sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem"))
            let text = try TLSTests.run(Self.openssl, ["x509", "-in", files.leaf.path, "-noout", "-text"], input: "").output
            #expect(text.contains("Digital Signature, Non Repudiation, Key Encipherment"), "\(text)")
            #expect(text.contains("TLS Web Client Authentication, E-mail Protection"), "\(text)")
            #expect(text.contains("Policy: 1.3.6.1.4.1.32473.15.1"), "\(text)")
            #expect(text.contains("URI:" + base + RevocationPublication.crlPath), "\(text)")
            #expect(text.contains("OCSP - URI:" + base + RevocationPublication.ocspPath), "\(text)")

            // The client's check of delivered certificates (CertManagerKit uses this very call).
            let trust = CertificateTrust(roots: [fixture.sandbox.world.eHealthRoot])
            let validated = try await trust.validate(leaf, intermediates: Array(issued.chain.dropFirst()), validity: .at(Date()),
                                                     usage: .eHealthAuthentication)
            #expect(validated.first == leaf)
        }
    }

    @Test("openssl reads the served CRL, verifies its signature by the issuing CA, and finds the certificate once it is revoked")
    func crl() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            let files = try Files(issued, root: fixture.sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem"))
            let crlURL = try Self.url(issued.certificate, extension: [2, 5, 29, 31])
            let serial = issued.certificate.serialNumber.magnitude.map { String(format: "%02X", $0) }.joined()

            try await Self.download(crlURL, to: files.crl)
            let before = try TLSTests.run(Self.openssl, ["crl", "-inform", "DER", "-in", files.crl.path, "-CAfile", files.chain.path, "-noout", "-text"], input: "")
            #expect(before.status == 0, "\(before.output)")
            #expect(before.output.contains("verify OK"), "\(before.output)")
            #expect(before.output.contains("X509v3 CRL Number"))
            #expect(before.output.contains("X509v3 Authority Key Identifier"))
            #expect(!before.output.uppercased().contains(serial))

            let revocations = RevocationTests()
            let contract = try await revocations.revocationContract(fixture, for: issued, signer: jean)
            _ = try await fixture.certRA.revoke(try await revocations.revokeRequest(issued, contract, signedWith: jean.signature))
            try FileManager.default.removeItem(at: files.crl)
            try await Self.download(crlURL, to: files.crl)
            let after = try TLSTests.run(Self.openssl, ["crl", "-inform", "DER", "-in", files.crl.path, "-CAfile", files.chain.path, "-noout", "-text"], input: "")
            #expect(after.output.contains("verify OK"), "\(after.output)")
            #expect(after.output.uppercased().contains("SERIAL NUMBER: \(serial)"), "\(after.output)")
            // openssl's own verification of the leaf against this CRL.
            let verify = try TLSTests.run(Self.openssl, ["verify", "-crl_check", "-CAfile", files.chain.path, "-CRLfile", files.crl.path,
                                                         "-purpose", "sslclient", files.leaf.path], input: "")
            #expect(verify.status != 0)
            #expect(verify.output.contains("certificate revoked"), "\(verify.output)")
        }
    }

    @Test("openssl ocsp asks the sandbox's responder: good, then revoked after revoke; the answer is signed by the issuing CA")
    func ocsp() async throws {
        try await SandboxFixture.with { fixture in
            let jean = try fixture.citizen(Sandboxed.jean)
            let issued = try await fixture.obtainCertificate(for: jean)
            let files = try Files(issued, root: fixture.sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem"))
            let responder = try require(try issued.certificate.extensions.authorityInformationAccess?.first?.location, "OCSP URL")
            guard case .uniformResourceIdentifier(let url) = responder else { Issue.record("not a URI: \(responder)"); return }
            let arguments = ["ocsp", "-issuer", files.issuer.path, "-cert", files.leaf.path, "-url", url, "-CAfile", files.root.path]

            // openssl runs its HTTP client while this process serves: off the test's task.
            let good = try await Self.detached { try TLSTests.run(Self.openssl, arguments, input: "") }
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("Response verify OK"), "\(good.output)")
            #expect(good.output.contains("\(files.leaf.path): good"), "\(good.output)")

            let revocations = RevocationTests()
            let contract = try await revocations.revocationContract(fixture, for: issued, signer: jean)
            _ = try await fixture.certRA.revoke(try await revocations.revokeRequest(issued, contract, signedWith: jean.signature))
            let revoked = try await Self.detached { try TLSTests.run(Self.openssl, arguments, input: "") }
            #expect(revoked.output.contains("Response verify OK"), "\(revoked.output)")
            #expect(revoked.output.contains("\(files.leaf.path): revoked"), "\(revoked.output)")

            // A certificate of another CA is unknown to this responder.
            let other = try await Self.detached {
                try TLSTests.run(Self.openssl, ["ocsp", "-issuer", files.root.path, "-cert", files.issuer.path, "-url", url,
                                                "-CAfile", files.root.path, "-no_cert_verify", "-no_signature_verify"], input: "")
            }
            #expect(other.output.contains("\(files.issuer.path): unknown"), "\(other.output)")

            // Bytes that are no OCSP request get malformedRequest.
            var request = URLRequest(url: try require(URL(string: url), "URL"))
            request.httpMethod = "POST"
            request.setValue("application/ocsp-request", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("not an OCSP request".utf8)
            let (body, _) = try await URLSession.shared.data(for: request)
            #expect(Array(body) == [0x30, 0x03, 0x0A, 0x01, 0x01], "OCSPResponse { responseStatus malformedRequest }")
        }
    }

    static func download(_ url: String, to file: URL) async throws {
        let (data, response) = try await URLSession.shared.data(from: try require(URL(string: url), "URL"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/pkix-crl")
        try data.write(to: file)
    }

    static func detached<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
