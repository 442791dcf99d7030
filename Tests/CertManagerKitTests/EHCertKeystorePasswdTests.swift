import CertManagerKit
import Foundation
import Security
import Testing

/// `ehcert keystore passwd` on a copy of a keystore the sandbox flow made (an authentication key
/// with its chain and an ETK encryption key).
@Suite("ehcert keystore passwd", .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertKeystorePasswdTests {
    static let environment = ["OLD_PASSWORD": FlowFixture.password, "NEW_PASSWORD": "a new pass phrase", "WRONG_PASSWORD": "not the password"]

    /// A private copy of the fixture's keystore.
    static func keystoreCopy() async throws -> URL {
        let (_, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let copy = try EHCertIsolated.folder("passwd").appendingPathComponent("mine.p12")
        try FileManager.default.copyItem(at: result.keystoreFile, to: copy)
        return copy
    }

    @Test("the new password opens the file with openssl, the old one no longer does; every entry and the protection are kept")
    func roundTrip() async throws {
        let file = try await Self.keystoreCopy()
        let before = try Keystore(contentsOf: file, password: FlowFixture.password)
        #expect(before.aliases.count >= 2)

        let run = try await EHCertIsolated.run(["keystore", "passwd", file.path, "--password-env", "OLD_PASSWORD",
                                                "--new-password-env", "NEW_PASSWORD", "--json"], environment: Self.environment)
        #expect(run.status == 0, "\(run.standardError)")
        let json = try EHCertIsolated.object(run.standardOutput)
        #expect(json["aliases"] as? [String] == before.aliases)

        let newOpens = try await EHCertIsolated.tool("openssl", ["pkcs12", "-in", file.path, "-passin", "env:NEW_PASSWORD", "-nodes", "-info"],
                                                     environment: Self.environment)
        #expect(newOpens.status == 0, "\(newOpens.standardOutput)")
        #expect(newOpens.standardOutput.contains("BEGIN PRIVATE KEY"))
        let oldRefused = try await EHCertIsolated.tool("openssl", ["pkcs12", "-in", file.path, "-passin", "env:OLD_PASSWORD", "-nodes"],
                                                       environment: Self.environment)
        #expect(oldRefused.status != 0)
        #expect(oldRefused.standardOutput.lowercased().contains("mac verify"))

        let after = try Keystore(contentsOf: file, password: "a new pass phrase")
        #expect(after == before, "aliases, keys and chains are the same")
        #expect(after.format?.keyEncryption == before.format?.keyEncryption)
        #expect(after.format?.mac == before.format?.mac)
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["mine.p12"])
    }

    @Test("--format legacy-3des writes the Java 8 protection")
    func changesFormatOnRequest() async throws {
        let file = try await Self.keystoreCopy()
        let run = try await EHCertIsolated.run(["keystore", "passwd", file.path, "--password-env", "OLD_PASSWORD",
                                                "--new-password-env", "NEW_PASSWORD", "--format", "legacy-3des"], environment: Self.environment)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("New password for"))
        let format = try #require(try Keystore(contentsOf: file, password: "a new pass phrase").format)
        #expect(format.keyEncryption == .tripleDESSHA1)
        #expect(format.certificateEncryption == .tripleDESSHA1)
        #expect(format.mac == .sha1)
    }

    @Test("a wrong current password: exit 5, the reason, and the file byte for byte as it was")
    func wrongPasswordLeavesFileUntouched() async throws {
        let file = try await Self.keystoreCopy()
        let original = try Data(contentsOf: file)
        let run = try await EHCertIsolated.run(["keystore", "passwd", file.path, "--password-env", "WRONG_PASSWORD",
                                                "--new-password-env", "NEW_PASSWORD"], environment: Self.environment)
        #expect(run.status == 5)
        #expect(run.standardError.contains("KEYSTORE_WRONG_PASSWORD"))
        #expect(try Data(contentsOf: file) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["mine.p12"])

        let json = try await EHCertIsolated.run(["keystore", "passwd", file.path, "--password-env", "WRONG_PASSWORD",
                                                 "--new-password-env", "NEW_PASSWORD", "--json"], environment: Self.environment)
        #expect(json.status == 5)
        let error = try #require(try EHCertIsolated.object(json.standardOutput)["error"] as? [String: Any])
        #expect(error["code"] as? String == "KEYSTORE_WRONG_PASSWORD")
        #expect(try Data(contentsOf: file) == original)
    }

    @Test("the same password again without another format is refused (usage), the file untouched")
    func samePasswordRefused() async throws {
        let file = try await Self.keystoreCopy()
        let original = try Data(contentsOf: file)
        let run = try await EHCertIsolated.run(["keystore", "passwd", file.path, "--password-env", "OLD_PASSWORD",
                                                "--new-password-env", "OLD_PASSWORD"], environment: Self.environment)
        #expect(run.status == 64)
        #expect(run.standardError.contains("PASSWORD_UNCHANGED"))
        #expect(try Data(contentsOf: file) == original)
    }

    /// Issue 13: a flow's secrets.p12 survived `keystore passwd`. A finished flow's leftover copy
    /// of this keystore's keys (left by a crash after the keystore was written, before the copy was
    /// deleted), protected by the old password, goes with the password change.
    @Test("keystore passwd removes a finished flow's leftover secrets.p12 for that keystore")
    func removesLeftoverSecrets() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folders = TestFolders()
        let result = try await CreateETKFlow.start(FlowFixture.request(HardeningFlowTests.organization("PASSWD-LEFTOVER"), folders: folders),
                                                   endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })
        let flow = try #require(folders.work.flows().first)
        let leftover = folders.work.folder(for: flow.id).appendingPathComponent("secrets.p12")
        try FileManager.default.copyItem(at: result.keystoreFile, to: leftover)
        #expect(folders.work.flowsHoldingSecrets().map(\.id) == [flow.id])

        let configuration = folders.root.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: ["workdir": folders.work.url.path]).write(to: configuration)
        let run = try await EHCertIsolated.run(["keystore", "passwd", result.keystoreFile.path, "--password-env", "OLD_PASSWORD",
                                                "--new-password-env", "NEW_PASSWORD", "--config", configuration.path], environment: Self.environment)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(folders.work.flowsHoldingSecrets().isEmpty)
    }
}
