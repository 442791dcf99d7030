import Foundation
import Testing

/// Renewal as it happens years after `create`: the sandbox process is restarted with its clock
/// 1040 days ahead (inside the last 90 days of the certificate's three years), `check` then
/// warns, `renew` makes the new keystore, `activate` switches senders to the new ETK. While the
/// sandbox is stopped, ehcert says the platform is unavailable.
@Suite("ehcert end to end: check in the replacement window, renew, activate, platform down", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndRenewalTests {
    @Test("check exits 8 once the sandbox's clock is in the replacement window; renew and activate; status while stopped exits 4")
    func renewAndActivate() async throws {
        var sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let password = ["--password-env", EndToEnd.keystorePasswordVariable]
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + ["--json"])
        #expect(created.status == 0, "\(created.standardError)")
        let original = try EndToEnd.object(created.standardOutput)
        let keystore = try #require(original["keystoreFile"] as? String)
        let originalAlias = try #require(original["encryptionKeyAlias"] as? String)

        let fresh = try await EndToEnd.ehcert(["check", keystore, "--warn-days", "30"] + password + sandbox.serviceArguments)
        #expect(fresh.status == 0, "\(fresh.standardOutput) \(fresh.standardError)")

        // The platform is down: a documented exit code and what to do, after the retries.
        sandbox.stop()
        let down = try await EndToEnd.ehcert(["status", keystore] + password + sandbox.serviceArguments)
        #expect(down.status == 4, "\(down.standardOutput) \(down.standardError)")
        #expect(down.standardError.hasPrefix("error: CertRa.getCertificateInfoForAuthenticationCertificate: TRANSPORT_FAILED: "))
        #expect(down.standardError.contains("\n  → Check the network connection"))
        #expect(down.standardOutput.isEmpty)

        // 1040 days later, by the sandbox's clock.
        sandbox = try await sandbox.restarted(clockOffsetDays: 1040)
        let due = try await EndToEnd.ehcert(["check", keystore, "--warn-days", "30"] + password + sandbox.serviceArguments)
        #expect(due.status == 8, "\(due.standardOutput) \(due.standardError)")
        #expect(due.standardOutput.hasPrefix("⚠ \(keystore)"))
        #expect(due.standardOutput.contains("REPLACEMENT_WINDOW_OPEN: the replacement window is open since"))
        let status = try EndToEnd.object(try await EndToEnd.ehcert(["status", keystore, "--json"] + password + sandbox.serviceArguments).standardOutput)
        #expect(status["renewal"] as? String == "open")
        #expect(status["replaceable"] as? Bool == true)

        let renewed = try await EndToEnd.ehcert(["renew", keystore, "--accept-contract", "--json"] + folders.flowOptions
                                                + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments)
        #expect(renewed.status == 0, "\(renewed.standardOutput) \(renewed.standardError)")
        let renewal = try EndToEnd.object(renewed.standardOutput)
        let newKeystore = try #require(renewal["keystoreFile"] as? String)
        #expect(newKeystore != keystore)
        #expect(renewal["distinguishedName"] as? String == original["distinguishedName"] as? String)
        #expect(renewal["replacesCertificate"] as? String != nil)
        #expect(renewal["etkToBeActivated"] as? Bool == true)
        #expect(renewal["keptEncryptionKeyAliases"] as? [String] == [originalAlias])
        let newAlias = try #require(renewal["encryptionKeyAlias"] as? String)
        #expect(newAlias != originalAlias)
        // The new keystore keeps the old encryption key, so that older messages stay readable.
        let opened = try await EndToEnd.openssl(["pkcs12", "-in", newKeystore, "-passin", "env:\(EndToEnd.keystorePasswordVariable)", "-nodes"])
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.standardOutput.contains("friendlyName: \(originalAlias)"))
        #expect(opened.standardOutput.contains("friendlyName: \(newAlias)"))
        #expect(FileManager.default.fileExists(atPath: keystore), "the old keystore stays until the new one is installed")

        let waiting = try await EndToEnd.ehcert(["check", newKeystore, "--json"] + password + sandbox.serviceArguments)
        #expect(waiting.status == 8)
        let finding = try #require(try EndToEnd.array(waiting.standardOutput).first)
        let certificate = try #require(finding["certificate"] as? [String: Any])
        #expect(certificate["etkStatus"] as? String == "WAIT_FOR_ACTIVATION")
        #expect((certificate["warnings"] as? [[String: Any]])?.contains { $0["code"] as? String == "ETK_WAITS_FOR_ACTIVATION" } == true)

        let activated = try await EndToEnd.ehcert(["activate", newKeystore, "--json"] + password + sandbox.serviceArguments)
        #expect(activated.status == 0, "\(activated.standardError)")
        #expect(try EndToEnd.object(activated.standardOutput)["outcome"] as? String == "activated")
        let again = try await EndToEnd.ehcert(["activate", newKeystore] + password + sandbox.serviceArguments)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("RENEW_ACTIVATION_ETK_ALREADY_ACTIF"))
        let active = try EndToEnd.object(try await EndToEnd.ehcert(["status", newKeystore, "--json"] + password + sandbox.serviceArguments).standardOutput)
        #expect(active["etkStatus"] as? String == "VALID_ACTIVE")
        #expect(active["renewal"] as? String == "notYet")
    }
}
