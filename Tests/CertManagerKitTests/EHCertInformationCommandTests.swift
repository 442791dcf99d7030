import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Testing

/// `ehcert status`, `list`, `check` and `activate` against the information tests' sandbox.
@Suite("ehcert status, list, check, activate", .serialized, .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertInformationCommandTests {
    static func service(_ sandbox: EmbeddedSandbox) -> [String] {
        ["--certra-url", sandbox.certRAEndpoint.absoluteString, "--etkra-url", sandbox.etkRAEndpoint.absoluteString,
         "--ehealth-root", sandbox.world.trustDirectory.appendingPathComponent("ehealth-root.pem").path]
    }

    static let environment = ["EHCERT_TEST_PASSWORD": FlowFixture.password, "EHCERT_TEST_EID": SandboxWorld.citizenKeystorePassword, "NO_COLOR": "1"]

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("status --json: the certificate, its ETK and an open replacement window")
    func status() async throws {
        let (sandbox, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let run = try await Self.run(["status", result.keystoreFile.path, "--password-env", "EHCERT_TEST_PASSWORD", "--json"] + Self.service(sandbox))
        #expect(run.status == 0, "\(run.standardError)")
        let json = try Self.object(run.standardOutput)
        #expect(json["status"] as? String == "VALID_ACTIVE")
        #expect(json["etkStatus"] as? String == "VALID_ACTIVE")
        #expect(json["renewal"] as? String == "open")
        #expect(json["replaceable"] as? Bool == true)
        #expect((json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "REPLACEMENT_WINDOW_OPEN")

        let text = try await Self.run(["status", result.keystoreFile.path, "--password-env", "EHCERT_TEST_PASSWORD"] + Self.service(sandbox))
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("replacement window open since"))
    }

    @Test("check: exit 8 and the reason when the replacement window is open")
    func check() async throws {
        let (sandbox, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let run = try await Self.run(["check", result.keystoreFile.path, "--warn-days", "10", "--password-env", "EHCERT_TEST_PASSWORD"] + Self.service(sandbox))
        #expect(run.status == 8, "\(run.standardError)")
        #expect(run.standardOutput.contains("REPLACEMENT_WINDOW_OPEN"))
        let json = try await Self.run(["check", result.keystoreFile.path, "--json", "--password-env", "EHCERT_TEST_PASSWORD"] + Self.service(sandbox))
        #expect(json.status == 8)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(findings.first?["needsAttention"] as? Bool == true)
    }

    @Test("list --json with a software eID; activate an active ETK says so")
    func listAndActivate() async throws {
        let (sandbox, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let list = try await Self.run(["list", "--json", "--eid-p12", citizen.eidKeystore.path, "--eid-pin-env", "EHCERT_TEST_EID"] + Self.service(sandbox))
        #expect(list.status == 0, "\(list.standardError)")
        let certificates = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
        #expect(certificates.contains { $0["owner"] as? String == "SSIN=85073003328" && $0["status"] as? String == "VALID_ACTIVE" })

        let activate = try await Self.run(["activate", result.keystoreFile.path, "--password-env", "EHCERT_TEST_PASSWORD"] + Self.service(sandbox))
        #expect(activate.status == 0, "\(activate.standardError)")
        #expect(activate.standardOutput.contains("RENEW_ACTIVATION_ETK_ALREADY_ACTIF"))
    }

    /// Runs ehcert on its own thread: the sandbox answering it runs on this process's
    /// cooperative threads, which a blocking wait must not hold.
    static func run(_ arguments: [String]) async throws -> EHCertExecutable.Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try EHCertExecutable.run(arguments, environment: environment) })
            }.start()
        }
    }
}

