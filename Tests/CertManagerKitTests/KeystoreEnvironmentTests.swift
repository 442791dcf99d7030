import CertManagerKit
import Crypto
import Foundation
import Security
import Testing
import X509

/// A keystore's environment, from the CA that issued its certificate (issue 15, item 6), and
/// the refusal to use it against another environment.
@Suite("Keystore environments")
struct KeystoreEnvironmentTests {
    /// A certificate issued by a CA of that name (P-256 keys: quick to make).
    static func certificate(issuedBy commonName: String) throws -> Certificate {
        let validity = Date(timeIntervalSinceNow: -3600)...Date(timeIntervalSinceNow: 3600)
        let ca = try CertificateAuthority.root(name: try DistinguishedName { CountryName("BE"); CommonName(commonName) },
                                               key: Certificate.PrivateKey(P256.Signing.PrivateKey()), validity: validity)
        return try ca.issue(subject: try DistinguishedName { CountryName("BE"); CommonName("SSIN=85073003328") },
                            publicKey: Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey, validity: validity)
    }

    @Test("the issuing CA tells the environment; a CA we cannot place is unknown",
          arguments: [("eHealth issuing CA Sandbox", KeystoreEnvironment.sandbox),
                      ("UAT ZetesConfidens Private Trust PKI – eHealth issuing CA 002", .acceptance),
                      ("eHealth acceptance issuing CA", .acceptance),
                      ("ZetesConfidens Private Trust PKI - eHealth issuing CA 001", .production),
                      ("QuoVadis Belgium Issuing CA G2", .production)])
    func recognised(issuer: String, environment: KeystoreEnvironment) throws {
        #expect(KeystoreEnvironment(issuerOf: try Self.certificate(issuedBy: issuer)) == environment)
    }

    @Test func unknownIssuer() throws {
        #expect(KeystoreEnvironment(issuerOf: try Self.certificate(issuedBy: "Some Company CA")) == nil)
        // A word, not a part of one: "UATX" is no acceptance mark.
        #expect(KeystoreEnvironment(issuerOf: try Self.certificate(issuedBy: "UATX Company CA")) == nil)
    }

    @Test func endpoints() {
        #expect(KeystoreEnvironment(endpoints: ServiceEndpoints(.acceptance)) == .acceptance)
        #expect(KeystoreEnvironment(endpoints: ServiceEndpoints(.production)) == .production)
        #expect(KeystoreEnvironment(endpoints: ServiceEndpoints(certRA: URL(string: "http://127.0.0.1:8080/CertRa/v2")!,
                                                                etkRA: URL(string: "http://127.0.0.1:8080/EtkRa/v2")!)) == .sandbox)
        #expect(KeystoreEnvironment(endpoints: ServiceEndpoints(certRA: URL(string: "https://proxy.example.org/CertRa/v2")!,
                                                                etkRA: URL(string: "https://proxy.example.org/EtkRa/v2")!)) == nil)
    }

    @Test("an acceptance keystore against production is refused naming both, unless allowed; unknown on either side is let through")
    func check() throws {
        let acceptance = try Self.certificate(issuedBy: "UAT ZetesConfidens Private Trust PKI – eHealth issuing CA 002")
        let file = URL(fileURLWithPath: "/keystores/SSIN=85073003328 20260101-101010 acceptance.p12")
        let error = #expect(throws: CertManagerError.self) {
            try KeystoreEnvironment.check(acceptance, file: file, against: ServiceEndpoints(.production), allowOther: false)
        }
        #expect(error?.code == .environmentMismatch)
        #expect(error?.category == .configuration)
        #expect(error?.reason.contains("is a keystore of acceptance") == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("goes to production") == true, "\(error?.reason ?? "")")
        #expect(error?.advice.contains("--force-environment") == true)
        try KeystoreEnvironment.check(acceptance, file: file, against: ServiceEndpoints(.production), allowOther: true)
        try KeystoreEnvironment.check(acceptance, file: file, against: ServiceEndpoints(.acceptance), allowOther: false)
        try KeystoreEnvironment.check(try Self.certificate(issuedBy: "Some Company CA"), file: file, against: ServiceEndpoints(.production), allowOther: false)
        #expect(KeystoreEnvironment.production.fileNameMark == "")
        #expect(KeystoreEnvironment.acceptance.fileNameMark == " acceptance")
    }
}

@Suite("ehcert end to end: a keystore's environment", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndKeystoreEnvironmentTests {
    @Test("a sandbox keystore is named so, and refused against acceptance before anything is sent (exit 5, both named)")
    func sandboxKeystoreAgainstAcceptance() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + ["--json"])
        #expect(created.status == 0, "\(created.standardError)")
        let keystore = try #require(try EndToEnd.object(created.standardOutput)["keystoreFile"] as? String)
        #expect(keystore.hasSuffix(" sandbox.p12"), "\(keystore)")
        let password = ["--password-env", EndToEnd.keystorePasswordVariable]
        let refused = try await EndToEnd.ehcert(["status", keystore, "--env", "acceptance"] + password)
        #expect(refused.status == 5, "\(refused.standardOutput) \(refused.standardError)")
        #expect(refused.standardError.contains("ENVIRONMENT_MISMATCH"))
        #expect(refused.standardError.contains("is a keystore of sandbox"), "\(refused.standardError)")
        #expect(refused.standardError.contains("goes to acceptance"))
        let same = try await EndToEnd.ehcert(["status", keystore] + password + sandbox.serviceArguments)
        #expect(same.status == 0, "\(same.standardOutput) \(same.standardError)")
    }
}
