import CertManagerKit
import Foundation
import Testing

/// `ehcert revoke` against a sandbox process: the only revocable certificate is found through
/// `list`, revoked with the contract accepted; afterwards status, list and check say so, and a
/// second revocation is refused.
@Suite("ehcert end to end: revoke", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndRevocationTests {
    @Test("revoke the only revocable certificate; status and check then report REVOKED; again is refused (exit 2)")
    func revoke() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont, organization: ["--org-type", "CBE", "--org-id", "0412345614"]) + ["--json"])
        #expect(created.status == 0, "\(created.standardError)")
        let keystore = try #require(try EndToEnd.object(created.standardOutput)["keystoreFile"] as? String)
        let password = ["--password-env", EndToEnd.keystorePasswordVariable]
        let identifier = try #require(try EndToEnd.object(try await EndToEnd.ehcert(["status", keystore, "--json"] + password + sandbox.serviceArguments)
            .standardOutput)["publicKeyIdentifier"] as? String)

        // Someone else's certificate is not in the signer's list: nothing is sent to revoke it.
        let stranger = try await EndToEnd.ehcert(["revoke", "--public-key-identifier", identifier, "--reason", "keyCompromise", "--accept-contract"]
                                                 + EndToEnd.eIDOptions(sandbox, .peeters) + sandbox.serviceArguments)
        #expect(stranger.status == 64, "\(stranger.standardError)")
        #expect(stranger.standardError.contains("CERTIFICATE_NOT_FOUND"))

        // Issue 13: secrets.p12 survived revocation. A finished flow's leftover copy of the keys
        // (as a crash between the keystore and the clean-up leaves it) goes with the revocation.
        let work = WorkDirectory(URL(fileURLWithPath: folders.work))
        let flow = try #require(work.flows().first)
        let leftover = work.folder(for: flow.id).appendingPathComponent("secrets.p12")
        try FileManager.default.copyItem(atPath: keystore, toPath: leftover.path)
        let configuration = folders.root.appendingPathComponent("work-config.json")
        try JSONSerialization.data(withJSONObject: ["workdir": folders.work]).write(to: configuration)

        let revoked = try await EndToEnd.ehcert(["revoke", "--reason", "cessationOfOperation", "--accept-contract", "--config", configuration.path]
                                                + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments)
        #expect(revoked.status == 0, "\(revoked.standardOutput) \(revoked.standardError)")
        #expect(revoked.standardOutput.contains("Revoking CN=CBE\\=0412345614"))
        #expect(revoked.standardOutput.contains("reason cessationOfOperation"))
        #expect(revoked.standardOutput.contains("Accepted with --accept-contract."))
        #expect(revoked.standardOutput.contains("(\(identifier)) is revoked: cessationOfOperation"))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(work.flowsHoldingSecrets().isEmpty)

        let status = try EndToEnd.object(try await EndToEnd.ehcert(["status", keystore, "--json"] + password + sandbox.serviceArguments).standardOutput)
        #expect(status["status"] as? String == "REVOKED")
        #expect(status["etkStatus"] as? String == "REVOKED")
        #expect(status["renewal"] as? String == "requestAnew")
        let check = try await EndToEnd.ehcert(["check", keystore] + password + sandbox.serviceArguments)
        #expect(check.status == 8)
        #expect(check.standardOutput.contains("REVOKED: the certificate is revoked"))
        let list = try EndToEnd.array(try await EndToEnd.ehcert(["list", "--json"] + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments).standardOutput)
        #expect(list.first { $0["publicKeyIdentifier"] as? String == identifier }?["status"] as? String == "REVOKED")

        let again = try await EndToEnd.ehcert(["revoke", "--public-key-identifier", identifier, "--reason", "keyCompromise", "--accept-contract", "--json"]
                                              + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments)
        #expect(again.status == 2, "\(again.standardOutput) \(again.standardError)")
        let failure = try #require(try EndToEnd.object(again.standardOutput)["error"] as? [String: Any])
        #expect(failure["code"] as? String == "CERTIFICATE_NOT_REVOCABLE")
        #expect(failure["category"] as? String == "refused")
        #expect(failure["exitCode"] as? Int == 2)
    }
}
