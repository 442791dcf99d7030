import Foundation
import Security
import Testing
import X509

/// The built `ehcert` against `ehcert-sandbox serve` processes staging the platform's variations
/// (issue 15): a contract DN in the cookbook's form, another PublicKeyIdentifier, an eHealth CA
/// signing with SHA-512, a certificate valid only later, an expired foreigner link; and the
/// tracing headers, contact checks, BaseServiceUsage, `qualities` and `check` with per-keystore
/// passwords.
@Suite("ehcert end to end: platform fidelity", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndFidelityTests {
    static func logLines(_ file: URL) throws -> [[String: String]] {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
        }
    }

    @Test("another PublicKeyIdentifier and a SHA-512 CA: create warns, finishes; every command sends the User-Agent, From when set")
    func variationsAndTracingHeaders() async throws {
        let folders = try EndToEnd()
        let log = folders.root.appendingPathComponent("requests.jsonl")
        let sandbox = try await SandboxProcess.start(options: ["--public-key-identifier", "subject-public-key-info",
                                                               "--certificate-signature-algorithm", "sha512WithRSAEncryption",
                                                               "--request-log", log.path])
        defer { sandbox.stop() }
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont)
            + ["--base-service-usage", "tsa", "--base-service-usage", "consultrn", "--general-email", "team@example.be", "--general-phone", "+32 2 000 00 00"])
        #expect(created.status == 0, "\(created.standardOutput) \(created.standardError)")
        #expect(created.standardOutput.contains("Contract for CN=SSIN=85073003328"))
        #expect(created.standardOutput.contains("warning: generateCertificate answered the PublicKeyIdentifier"), "\(created.standardOutput)")

        // The encryption certificate is signed as the authentication certificate is.
        let files = try FileManager.default.contentsOfDirectory(atPath: folders.keystores)
        let name = try #require(files.first { $0.hasSuffix(".p12") })
        let keystoreFile = URL(fileURLWithPath: folders.keystores).appendingPathComponent(name)
        let keystore = try Keystore(contentsOf: keystoreFile, password: EndToEnd.keystorePassword)
        #expect(keystore[Keystore.authenticationAlias]?.certificate?.signatureAlgorithm == .sha512WithRSAEncryption)
        let etk = try ETK(derEncoded: Data(contentsOf: keystoreFile.deletingPathExtension().appendingPathExtension("etk")))
        #expect(etk.encryptionCertificate.certificate.signatureAlgorithm == .sha512WithRSAEncryption)

        // The request: BaseServiceUsage and the general contact fields.
        let requests = try Self.logLines(log)
        // getActorQualities, generateContract, generateCertificate, getCertificate (1+), start/completeETKRegistration.
        #expect(requests.count >= 6)
        #expect(requests.first?["operation"] == "getActorQualities")
        for request in requests {
            #expect(request["userAgent"] == "ehcert/0.1 swift-certmanager/0.1", "\(request)")
            // create sends the contact e-mail as From when none is configured.
            #expect(request["from"] == "e2e@example.be", "\(request)")
        }

        // Commands that used to send no header: User-Agent always, From only when configured.
        let types = try await EndToEnd.ehcert(["org-types"] + sandbox.serviceArguments)
        #expect(types.status == 0, "\(types.standardError)")
        let status = try await EndToEnd.ehcert(["status", keystoreFile.path, "--password-env", EndToEnd.keystorePasswordVariable,
                                                "--from", "ops@example.be", "--user-agent", "MyPractice/2.1 ehcert/0.1"] + sandbox.serviceArguments)
        #expect(status.status == 0, "\(status.standardOutput) \(status.standardError)")
        let later = Array(try Self.logLines(log).dropFirst(requests.count))
        #expect(later.map { $0["operation"] ?? "" } == ["getGenericOrganizationTypes", "getCertificateInfoForAuthenticationCertificate"])
        #expect(later.first?["userAgent"] == "ehcert/0.1 swift-certmanager/0.1")
        #expect(later.first?["from"] == nil)
        #expect(later.last?["userAgent"] == "MyPractice/2.1 ehcert/0.1")
        #expect(later.last?["from"] == "ops@example.be")

        // check: one keystore with the common password, a copy with its own password file.
        let copy = URL(fileURLWithPath: folders.keystores).appendingPathComponent("copy.p12")
        try keystore.write(to: copy, password: "the copy's own password")
        let withoutFile = try await EndToEnd.ehcert(["check", keystoreFile.path, copy.path, "--password-env", EndToEnd.keystorePasswordVariable]
                                                    + sandbox.serviceArguments)
        #expect(withoutFile.status == 8, "\(withoutFile.standardOutput) \(withoutFile.standardError)")
        #expect(withoutFile.standardOutput.contains("✗ \(copy.path)"))
        try Data("the copy's own password\n".utf8).write(to: copy.appendingPathExtension("password"))
        let withFile = try await EndToEnd.ehcert(["check", keystoreFile.path, copy.path, "--password-env", EndToEnd.keystorePasswordVariable, "--json"]
                                                 + sandbox.serviceArguments)
        #expect(withFile.status == 0, "\(withFile.standardOutput) \(withFile.standardError)")
        #expect(try EndToEnd.array(withFile.standardOutput).allSatisfy { $0["needsAttention"] as? Bool == false })
        // A map alone: no common password is needed (and none is asked for).
        let map = folders.root.appendingPathComponent("passwords.json")
        try JSONSerialization.data(withJSONObject: [keystoreFile.path: EndToEnd.keystorePassword]).write(to: map)
        let mapped = try await EndToEnd.ehcert(["check", keystoreFile.path, copy.path, "--password-map", map.path] + sandbox.serviceArguments)
        #expect(mapped.status == 0, "\(mapped.standardOutput) \(mapped.standardError)")
        #expect(mapped.standardOutput.contains("✓ \(copy.path)") && mapped.standardOutput.contains("✓ \(keystoreFile.path)"))
    }

    @Test("qualities prints what getActorQualities says, in text and JSON")
    func qualities() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let text = try await EndToEnd.ehcert(["qualities"] + EndToEnd.eIDOptions(sandbox, .dupont) + sandbox.serviceArguments)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("(SSIN 85073003328)"))
        #expect(text.standardOutput.contains("personal certificate: allowed"))
        #expect(text.standardOutput.contains("--org-type CBE --org-id 0412345614"))
        #expect(text.standardOutput.contains("--org-type NIHII-HOSPITAL --org-id 71000436"))
        let json = try await EndToEnd.ehcert(["qualities", "--json"] + EndToEnd.eIDOptions(sandbox, .martin) + sandbox.serviceArguments)
        #expect(json.status == 0, "\(json.standardError)")
        let object = try EndToEnd.object(json.standardOutput)
        #expect(object["ssin"] as? String == "05010101202")
        #expect(object["naturalPersonAuthorization"] as? Bool == false)
        #expect((object["organizations"] as? [Any])?.isEmpty == true)
        let help = try await EndToEnd.ehcert(["--help"])
        #expect(help.standardOutput.contains("qualities"))
    }

    @Test("a bad usage, e-mail or phone is refused with exit 64 before anything is sent or signed")
    func contactChecksBeforeAnything() async throws {
        let folders = try EndToEnd()
        let log = folders.root.appendingPathComponent("requests.jsonl")
        let sandbox = try await SandboxProcess.start(options: ["--request-log", log.path])
        defer { sandbox.stop() }
        for (extra, word) in [(["--base-service-usage", "ehbox"], "ehbox"), (["--phone", "02/123 45 67"], "02/123 45 67"),
                              (["--general-email", "team at example.be"], "team at example.be")] {
            let run = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + extra)
            #expect(run.status == 64, "\(extra): \(run.standardOutput) \(run.standardError)")
            #expect(run.standardError.contains(word), "\(run.standardError)")
        }
        #expect(try Self.logLines(log).isEmpty)
        let flows = (try? FileManager.default.contentsOfDirectory(atPath: folders.work)) ?? []
        #expect(flows.isEmpty, "no flow was recorded: \(flows)")
    }

    @Test("a certificate valid only 15 s later: create waits at startETKRegistration and finishes")
    func waitsAtETKRegistration() async throws {
        // Long enough that a busy machine still reaches startETKRegistration before the date.
        let sandbox = try await SandboxProcess.start(options: ["--certificate-validity-delay", "15"])
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let run = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont))
        #expect(run.status == 0, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardOutput.contains("ETK_REQUESTED_FOR_AUTH_CERT_NOT_YET_VALID"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("waiting"))
    }

    @Test("AUTH_CERT_NOT_YET_VALID beyond --max-wait: exit 3 with the date; resume waits and finishes")
    func notYetValidThenResume() async throws {
        let sandbox = try await SandboxProcess.start(options: ["--certificate-validity-delay", "8", "--withhold-until-valid"])
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let stopped = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + ["--max-wait", "0.02"])
        #expect(stopped.status == 3, "\(stopped.standardOutput) \(stopped.standardError)")
        #expect(stopped.standardError.contains("AUTH_CERT_NOT_YET_VALID"), "\(stopped.standardError)")
        #expect(stopped.standardError.contains("valid from 20"))
        let flowID = try #require(EndToEnd.flowID(in: stopped.standardOutput))
        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--max-wait", "1", "--json"] + folders.flowOptions + sandbox.serviceArguments)
        #expect(resumed.status == 0, "\(resumed.standardOutput) \(resumed.standardError)")
        #expect((try EndToEnd.object(resumed.standardOutput)["distinguishedName"] as? String)?.contains("SSIN\\=85073003328") == true)
    }

    @Test("a foreigner whose validation link has expired is told at once: exit 2, VALIDATION_LINK_EXPIRED")
    func expiredForeignerLink() async throws {
        // The sandbox's clock 31 days behind: the 30-day link it issues has expired by ours.
        let sandbox = try await SandboxProcess.start(clockOffsetDays: -31)
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let run = try await EndToEnd.ehcert(["foreigner", "--bis", "92471004573", "--first-name", "Mary", "--last-name", "Jones",
                                             "--email", "mary@example.com", "--phone", "+441000", "--keystore-dir", folders.keystores, "--max-wait", "30"]
                                            + folders.flowOptions + sandbox.serviceArguments)
        #expect(run.status == 2, "\(run.standardOutput) \(run.standardError)")
        #expect(run.standardError.contains("VALIDATION_LINK_EXPIRED"), "\(run.standardError)")
        let flowID = try #require(EndToEnd.flowID(in: run.standardOutput))
        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--max-wait", "30"] + folders.flowOptions + sandbox.serviceArguments)
        #expect(resumed.status == 2, "\(resumed.standardOutput) \(resumed.standardError)")
        #expect(resumed.standardError.contains("VALIDATION_LINK_EXPIRED"))
    }
}

extension EHCertEndToEndFidelityTests {
    @Test("--keystore-format legacy writes the platform's legacy protection, with the CA chain as trusted entries; modern says how to get legacy")
    func keystoreFormat() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let legacy = try EndToEnd()
        let created = try await EndToEnd.ehcert(legacy.createArguments(sandbox, .dupont) + ["--keystore-format", "legacy"])
        #expect(created.status == 0, "\(created.standardOutput) \(created.standardError)")
        #expect(!created.standardOutput.contains("Java 8 runtimes cannot open"))
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: legacy.keystores).first { $0.hasSuffix(".p12") })
        let keystore = try Keystore(contentsOf: URL(fileURLWithPath: legacy.keystores).appendingPathComponent(name), password: EndToEnd.keystorePassword)
        #expect(keystore.format == .legacy)
        let authentication = try #require(keystore[Keystore.authenticationAlias]?.certificateChain)
        #expect(authentication.count >= 2)
        for ca in authentication.dropFirst() {
            #expect(keystore[ca.subject.description] == .certificate(ca))
        }

        let wrong = try await EndToEnd.ehcert(legacy.createArguments(sandbox, .lambert) + ["--keystore-format", "java8"])
        #expect(wrong.status == 64)
        #expect(wrong.standardError.contains("--keystore-format must be modern or legacy"))

        // The default: modern, and the output says how to get a legacy file.
        let modern = try EndToEnd()
        let byDefault = try await EndToEnd.ehcert(modern.createArguments(sandbox, .peeters))
        #expect(byDefault.status == 0, "\(byDefault.standardOutput) \(byDefault.standardError)")
        #expect(byDefault.standardOutput.contains("Java 8 runtimes cannot open"))
        #expect(byDefault.standardOutput.contains("--format legacy"))
    }
}
