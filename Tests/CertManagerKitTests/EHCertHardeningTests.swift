import CertManagerKit
import Foundation
import Sandbox
import Testing

/// ehcert's side of the hardening: endpoints refused at option validation, a resumed flow that
/// stays where it was started, password files as editors write them.
@Suite("ehcert hardening", .serialized, .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertHardeningTests {
    @Test("plain http to another host is refused at option validation, on the command line and in the configuration file")
    func plainHTTPIsRefused() async throws {
        let run = try await EHCertInformationCommandTests.run(["list", "--certra-url", "http://services-acpt.ehealth.fgov.be/CertRa/v2",
                                                               "--etkra-url", "http://services-acpt.ehealth.fgov.be/EtkRa/v2"])
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("plain http"))

        let folder = EHCertCommandTests.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = folder.appendingPathComponent("config.json")
        try Data(#"{"certra-url": "http://10.1.2.3/CertRa/v2", "etkra-url": "https://10.1.2.3/EtkRa/v2"}"#.utf8).write(to: configuration)
        let fromFile = try await EHCertInformationCommandTests.run(["list", "--config", configuration.path])
        #expect(fromFile.status == 5, "\(fromFile.standardError)")
        #expect(fromFile.standardError.contains("certra-url"))
    }

    @Test("resume stays in the flow's environment: the configuration file's env does not move it, --env elsewhere is refused")
    func resumeKeepsTheEnvironment() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folder = EHCertCommandTests.temporaryFolder()
        let work = folder.appendingPathComponent("work").path
        let submitted = try await EHCertInformationCommandTests.run(
            ["foreigner", "--bis", "92471004870", "--first-name", "Ann", "--last-name", "Smith", "--email", "ann@example.com", "--phone", "+441000",
             "--keystore-dir", folder.appendingPathComponent("keystores").path, "--workdir", work, "--password-env", "EHCERT_TEST_PASSWORD"]
            + EHCertInformationCommandTests.service(sandbox))
        #expect(submitted.status == 3, "\(submitted.standardError)")

        let switched = try await EHCertInformationCommandTests.run(["resume", "--workdir", work, "--password-env", "EHCERT_TEST_PASSWORD", "--env", "acceptance"])
        #expect(switched.status == 5, "\(switched.standardError)")
        #expect(switched.standardError.contains("was started against"))
        #expect(switched.standardError.contains("--force-environment"))

        // A configuration file naming production: the flow still goes to its sandbox (and is still pending there).
        let configuration = folder.appendingPathComponent("config.json")
        try Data(#"{"env": "production"}"#.utf8).write(to: configuration)
        let resumed = try await EHCertInformationCommandTests.run(["resume", "--workdir", work, "--password-env", "EHCERT_TEST_PASSWORD",
                                                                   "--config", configuration.path, "--max-wait", "0"])
        #expect(resumed.status == 3, "\(resumed.standardError)")
        #expect(!resumed.standardError.contains("ehealth.fgov.be") && !resumed.standardOutput.contains("production"))

        // `status` names the flow that still holds private keys.
        let (_, certificate) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let workConfiguration = folder.appendingPathComponent("work-config.json")
        try JSONSerialization.data(withJSONObject: ["workdir": work]).write(to: workConfiguration)
        let status = try await EHCertInformationCommandTests.run(["status", certificate.keystoreFile.path, "--password-env", "EHCERT_TEST_PASSWORD",
                                                                  "--config", workConfiguration.path] + EHCertInformationCommandTests.service(sandbox))
        #expect(status.status == 0, "\(status.standardError)")
        #expect(status.standardError.contains("keeps private keys in") && status.standardError.contains("secrets.p12"), "\(status.standardError)")
    }

    @Test("a password file written with CRLF opens the keystore; a world-readable one is warned about")
    func passwordFiles() async throws {
        let (_, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folder = EHCertCommandTests.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("password.txt")
        try Data((FlowFixture.password + "\r\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let quiet = try await EHCertInformationCommandTests.run(["keystore", "show", result.keystoreFile.path, "--password-file", file.path])
        #expect(quiet.status == 0, "\(quiet.standardError)")
        #expect(!quiet.standardError.contains("warning"))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let warned = try await EHCertInformationCommandTests.run(["keystore", "show", result.keystoreFile.path, "--password-file", file.path])
        #expect(warned.status == 0, "\(warned.standardError)")
        #expect(warned.standardError.contains("can be read by every user"))
    }
}
