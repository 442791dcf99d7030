import Foundation
import Security
import Testing

/// What ehcert does when things go wrong against a sandbox process: the platform refuses (exit 2,
/// with the eHealth code in the message), or the platform is unreachable (exit 4; the flow
/// continues with `ehcert resume` once it is back).
@Suite("ehcert end to end: refused, platform down", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndFailureTests {
    @Test("a citizen without a health-care quality is refused: exit 2 and NOT_AUTHORIZED from getActorQualities")
    func noQuality() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let run = try await EndToEnd.ehcert(folders.createArguments(sandbox, .martin))
        #expect(run.status == 2, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardError.hasPrefix("error: CertRa.getActorQualities: NOT_AUTHORIZED: "), "\(run.standardError)")
        #expect(run.standardError.contains("\n  → "), "what to do, on the second line")
        let json = try await EndToEnd.ehcert(folders.createArguments(sandbox, .martin) + ["--json"])
        #expect(json.status == 2)
        let failure = try #require(try EndToEnd.object(json.standardOutput)["error"] as? [String: Any])
        #expect(failure["code"] as? String == "NOT_AUTHORIZED")
        #expect(failure["category"] as? String == "refused")
        #expect(failure["exitCode"] as? Int == 2)
    }

    @Test("the wrong eID key signs (Signature where Authentication is required): exit 2 and SIGNATURE_KEY_NOT_ALLOWED")
    func wrongSigner() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        // A software eID whose aliases are swapped: `list` signs with the Signature key.
        let eID = try Keystore(contentsOf: sandbox.eID(.dupont), password: EndToEnd.eIDPassword)
        var swapped = Keystore()
        for (alias, other) in [("Authentication", "Signature"), ("Signature", "Authentication")] {
            let entry = try #require(eID[other])
            try swapped.setPrivateKey(try #require(entry.privateKey), certificateChain: entry.certificateChain, alias: alias)
        }
        let file = folders.root.appendingPathComponent("swapped.p12")
        try swapped.write(to: file, password: EndToEnd.eIDPassword)

        let run = try await EndToEnd.ehcert(["list", "--eid-p12", file.path, "--eid-pin-env", EndToEnd.eIDPasswordVariable] + sandbox.serviceArguments)
        #expect(run.status == 2, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardError.contains("SIGNATURE_KEY_NOT_ALLOWED"), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    @Test("local problems exit 1, set-up problems (a wrong eID password, a missing secret) exit 5, with a running platform")
    func localAndConfiguration() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let missing = try await EndToEnd.ehcert(["status", folders.root.appendingPathComponent("missing.p12").path,
                                                 "--password-env", EndToEnd.keystorePasswordVariable] + sandbox.serviceArguments)
        #expect(missing.status == 1, "\(missing.standardError)")
        #expect(missing.standardError.hasPrefix("error: KEYSTORE_READ_FAILED: "))

        let wrongPassword = try await EndToEnd.ehcert(["list", "--eid-p12", sandbox.eID(.dupont).path, "--eid-pin-env", EndToEnd.keystorePasswordVariable]
                                                      + sandbox.serviceArguments)
        #expect(wrongPassword.status == 5, "\(wrongPassword.standardError)")
        #expect(wrongPassword.standardError.contains("KEYSTORE_WRONG_PASSWORD"))

        let unset = try await EndToEnd.ehcert(folders.createArguments(sandbox, .peeters) + ["--password-env", "EHCERT_E2E_UNSET_VARIABLE"])
        #expect(unset.status == 5, "\(unset.standardError)")
        #expect(unset.standardError.contains("SECRET_UNAVAILABLE"))
        #expect(unset.standardError.contains("EHCERT_E2E_UNSET_VARIABLE"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folders.work)) == nil, "nothing started")
    }

    @Test("create with the platform down exits 4 and names the flow; resume finishes it once the platform is back")
    func platformDown() async throws {
        let stopped = try await SandboxProcess.start()
        stopped.stop()
        let folders = try EndToEnd()
        let run = try await EndToEnd.ehcert(folders.createArguments(stopped, .peeters))
        #expect(run.status == 4, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardOutput.contains("↻"), "the safe first call is retried before giving up")
        #expect(run.standardError.contains("TRANSPORT_FAILED"), "\(run.standardError)")
        let flowID = try #require(EndToEnd.flowID(in: run.standardError), "\(run.standardError)")

        let sandbox = try await SandboxProcess.serve(state: stopped.state)
        defer { sandbox.stop() }
        // The sandbox is back on another port: other URLs than the flow's, so the move is said explicitly.
        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--json", "--force-environment"] + folders.flowOptions + EndToEnd.eIDOptions(sandbox, .peeters)
                                                + ["--accept-contract"] + sandbox.serviceArguments)
        #expect(resumed.status == 0, "\(resumed.standardOutput) \(resumed.standardError)")
        let keystore = try #require(try EndToEnd.object(resumed.standardOutput)["keystoreFile"] as? String)
        #expect(FileManager.default.fileExists(atPath: keystore))
    }
}
