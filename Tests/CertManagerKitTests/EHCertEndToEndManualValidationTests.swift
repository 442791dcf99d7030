import Foundation
import Testing

/// A request that needs the platform's manual validation (Marie LAMBERT's pharmacy, CBE
/// 0876543270): `ehcert create` stops with the pending exit code, the operator approves it with
/// `ehcert-sandbox approve`, and `ehcert resume` finishes it.
@Suite("ehcert end to end: manual validation, approve, resume", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndManualValidationTests {
    @Test("create stops with exit 3 and how to resume; after approve, resume delivers the keystore and ETK")
    func manualValidation() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let organization = ["--org-type", "CBE", "--org-id", "0876543270"]
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .lambert, organization: organization))
        #expect(created.status == 3, "\(created.standardOutput) \(created.standardError)")
        #expect(created.standardError.contains("CERT_NOT_YET_DELIVERED"))
        let flowID = try #require(EndToEnd.flowID(in: created.standardError), "\(created.standardError)")
        #expect(created.standardOutput.contains("Flow \(flowID) "))
        let keystoresSoFar = (try? FileManager.default.contentsOfDirectory(atPath: folders.keystores)) ?? []
        #expect(!keystoresSoFar.contains { $0.hasSuffix(".p12") }, "no keystore before delivery")

        let waiting = try await EndToEnd.ehcert(["resume", "--list", "--json", "--workdir", folders.work])
        let flows = try EndToEnd.array(waiting.standardOutput)
        #expect(flows.map { $0["id"] as? String } == [flowID])
        #expect(flows.first?["owner"] as? String == "CBE=0876543270")
        #expect((flows.first?["next"] as? String)?.hasPrefix("9)") == true, "\(flows)")

        // The operator: the request waits for approval, under its PublicKeyIdentifier.
        let pending = try await sandbox.approve()
        #expect(pending.status == 0, "\(pending.standardError)")
        let line = try #require(pending.standardOutput.split(separator: "\n").first { $0.contains("CBE\\=0876543270") }, "\(pending.standardOutput)")
        let identifier = String(line.prefix { !$0.isWhitespace })
        #expect(identifier.count == 40 && identifier.allSatisfy(\.isHexDigit))
        let approved = try await sandbox.approve(identifier)
        #expect(approved.status == 0, "\(approved.standardError)")

        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--json"] + folders.flowOptions + sandbox.serviceArguments)
        #expect(resumed.status == 0, "\(resumed.standardOutput) \(resumed.standardError)")
        let result = try EndToEnd.object(resumed.standardOutput)
        #expect(result["flow"] as? String == flowID)
        #expect((result["distinguishedName"] as? String)?.contains("CBE\\=0876543270") == true)
        let keystore = try #require(result["keystoreFile"] as? String)
        let etk = try #require(result["etkFile"] as? String)
        #expect(FileManager.default.fileExists(atPath: keystore) && FileManager.default.fileExists(atPath: etk))
        #expect((result["keystore"] as? [String: Any]).flatMap { $0["etk"] as? [String: Any] }?["keystoreHoldsKey"] as? Bool == true)
        // Steps done before the stop (1 to 7, generateCertificate) are not done again.
        let steps = try #require(result["steps"] as? [[String: Any]])
        #expect(!steps.contains { $0["event"] as? String == "stepStarted" && ($0["step"] as? Int).map { $0 < 8 } == true })
        #expect(steps.contains { $0["event"] as? String == "stepAlreadyDone" && $0["step"] as? Int == 7 })
        #expect(steps.contains { $0["event"] as? String == "stepFinished" && $0["step"] as? Int == 13 })

        let opened = try await EndToEnd.openssl(["pkcs12", "-in", keystore, "-passin", "env:\(EndToEnd.keystorePasswordVariable)", "-nokeys", "-clcerts"])
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.standardOutput.contains("CBE=0876543270"))

        let finished = try await EndToEnd.ehcert(["resume", "--list", "--workdir", folders.work])
        #expect(finished.standardOutput.contains("\(flowID)  CBE=0876543270  finished: \(keystore)"))
        let nothingLeft = try await EndToEnd.ehcert(["resume", "--workdir", folders.work])
        #expect(nothingLeft.status == 64)
        #expect(nothingLeft.standardError.contains("no unfinished flow"))
    }
}
