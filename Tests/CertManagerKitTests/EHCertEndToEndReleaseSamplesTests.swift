import Foundation
import Testing

/// The built `ehcert` against `ehcert-sandbox serve` processes (issue 15, items 9 and 10):
/// `release-samples` writes the release procedure's request/answer samples with their index,
/// and published eHealth codes staged with `serve --fault OP=status:CODE` give the documented
/// exit codes, the code and the cookbook's meaning, and leave the flow resumable.
@Suite("ehcert end to end: release samples and published codes", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndReleaseSamplesTests {
    /// The rows of index.md's table, by column.
    static func rows(_ index: String) -> [[String]] {
        index.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") && !$0.hasPrefix("| ---") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test("release-samples: every safe call and a negative case, a traced create added, each file indexed with the platform's answer")
    func releaseSamples() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + ["--trace-dir", folders.trace.path])
        #expect(created.status == 0, "\(created.standardOutput) \(created.standardError)")

        let out = folders.root.appendingPathComponent("samples")
        let arguments = ["release-samples", "--out", out.path, "--email", "it@example.be", "--phone", "+32 2 000 00 00",
                         "--org-type", "CBE", "--org-id", "0412345614", "--include-trace", folders.trace.path]
            + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments
        let run = try await EndToEnd.ehcert(arguments)
        #expect(run.status == 0, "\(run.standardOutput) \(run.standardError)")
        let index = try String(contentsOf: out.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("cookbook 6.1.3"))
        #expect(index.contains("CertRA \(sandbox.certRA.absoluteString)"))
        #expect(index.contains("ehcert/0.1 swift-certmanager/0.1"))
        let rows = Self.rows(index)
        let operations = rows.map { $0[1] }
        // Ours first, in order; then the traced create's exchanges.
        #expect(Array(operations.prefix(7)) == ["CertRa.getGenericOrganizationTypes", "CertRa.getActorQualities", "CertRa.generateContract",
                                                 "CertRa.getExistingApplicationIds", "CertRa.generateContract",
                                                 "CertRa.getCertificateInfoForCitizen", "CertRa.getCertificate"], "\(index)")
        #expect(Array(rows.prefix(6)).allSatisfy { $0[3] == "Success" }, "\(index)")
        #expect(rows[6][3] == "AUTH_CERT_NOT_FOUND", "the negative case: \(rows[6])")
        for operation in ["CertRa.generateCertificate", "EtkRa.startETKRegistration", "EtkRa.completeETKRegistration"] {
            #expect(rows.dropFirst(7).contains { $0[1] == operation && $0[3] == "Success" }, "\(operation) from the trace: \(index)")
        }
        // Every file the index names is there, is a SOAP envelope, and is the only thing besides the index.
        var named: Set<String> = ["index.md"]
        for row in rows {
            for file in [row[4], row[5]] where file != "-" {
                named.insert(file)
                let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
                #expect(text.contains("Envelope"), "\(file)")
            }
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == named)
        #expect(run.standardOutput.contains("\(rows.count) exchanges and their index"))

        // The index describes exactly its folder: a second run there is refused before any call.
        let again = try await EndToEnd.ehcert(arguments)
        #expect(again.status == 64, "\(again.standardOutput) \(again.standardError)")
        #expect(again.standardError.contains("OUTPUT_NOT_EMPTY"))

        let help = try await EndToEnd.ehcert(["--help"])
        #expect(help.standardOutput.contains("release-samples"))
        #expect(help.standardOutput.contains("qualities"))
    }

    @Test("published codes staged with --fault OP=status:CODE: exit 2, 4 and 7 with the code and its meaning; resume then finishes")
    func publishedCodesThroughTheCommandLine() async throws {
        let sandbox = try await SandboxProcess.start(options: [
            "--fault", "generateCertificate=status:CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS",
            "--fault", "generateCertificate=status:CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED",
            "--fault", "generateCertificate=status:CSR_INVALID_DN_INVALID",
            "--fault", "startETKRegistration=status:ETK_REQUESTED_FOR_AUTH_CERT_REVOKED",
        ])
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let first = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont))
        #expect(first.status == 2, "\(first.standardOutput) \(first.standardError)")
        #expect(first.standardError.contains("CertRa.generateCertificate: CSR_A_VALID_AUTH_CERT_ALREADY_EXISTS"), "\(first.standardError)")
        #expect(first.standardError.contains("already exists"))
        let flowID = try #require(EndToEnd.flowID(in: first.standardOutput + first.standardError))
        let resume = ["resume", flowID] + folders.flowOptions + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments

        let second = try await EndToEnd.ehcert(resume)
        #expect(second.status == 4, "\(second.standardOutput) \(second.standardError)")
        #expect(second.standardError.contains("CSR__CSR_DELIVERY_TO_CA_FAILED__SIGNING_FAILED"))
        #expect(second.standardError.contains("ehcert resume \(flowID)"), "the advice names the command")

        let third = try await EndToEnd.ehcert(resume)
        #expect(third.status == 7, "\(third.standardOutput) \(third.standardError)")
        #expect(third.standardError.contains("CSR_INVALID_DN_INVALID"))
        #expect(third.standardError.contains("not according to the eHealth policy"))

        let fourth = try await EndToEnd.ehcert(resume)
        #expect(fourth.status == 2, "\(fourth.standardOutput) \(fourth.standardError)")
        #expect(fourth.standardError.contains("EtkRa.startETKRegistration: ETK_REQUESTED_FOR_AUTH_CERT_REVOKED"), "\(fourth.standardError)")

        let last = try await EndToEnd.ehcert(resume + ["--json"])
        #expect(last.status == 0, "\(last.standardOutput) \(last.standardError)")
        let keystore = try #require(try EndToEnd.object(last.standardOutput)["keystoreFile"] as? String, "\(last.standardOutput)")
        #expect(FileManager.default.fileExists(atPath: keystore))
    }
}
