import Foundation
import Testing

/// The built `ehcert` against an `ehcert-sandbox serve` process over HTTP: a person's
/// certificate from start to finish, the files it leaves, and what status, list, check and
/// keystore show then say.
@Suite("ehcert end to end: create, keystore show, status, list, check", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndCreateTests {
    @Test("create prints steps 1 to 13 and leaves a keystore openssl opens with the password, and its ETK")
    func createPerson() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let run = try await EndToEnd.ehcert(folders.createArguments(sandbox, .dupont) + ["--trace-dir", folders.trace.path])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.components(separatedBy: "\n")
        for number in [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13] {
            #expect(lines.contains { $0.hasPrefix(String(format: "%2d) ", number)) && !$0.contains("skipped") }, "step \(number)")
        }
        // The contract as the sandbox writes it by default (the cookbook's form); the result escaped.
        #expect(run.standardOutput.contains("Contract for CN=SSIN=85073003328"))
        #expect(run.standardOutput.contains("Accepted with --accept-contract."))
        #expect(lines.contains { $0.hasPrefix("Done. New eHealth certificate and ETK for ") && $0.contains("SSIN\\=85073003328") })
        #expect(!run.standardOutput.contains(EndToEnd.keystorePassword) && !run.standardError.contains(EndToEnd.keystorePassword))

        // The files: one keystore and its ETK, named after the owner.
        let files = try FileManager.default.contentsOfDirectory(atPath: folders.keystores)
        let keystoreName = try #require(files.first { $0.hasSuffix(".p12") })
        #expect(keystoreName.hasPrefix("SSIN=85073003328 "))
        #expect(files.sorted() == [keystoreName, keystoreName.dropLast(4) + ".etk"].sorted())
        let keystore = folders.keystores + "/" + keystoreName
        let etk = folders.keystores + "/" + keystoreName.dropLast(4) + ".etk"
        let permissions = try FileManager.default.attributesOfItem(atPath: keystore)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        // openssl opens the keystore with the password, and finds both keys under their aliases.
        let opened = try await EndToEnd.openssl(["pkcs12", "-in", keystore, "-passin", "env:\(EndToEnd.keystorePasswordVariable)", "-nodes"])
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.standardOutput.components(separatedBy: "-----BEGIN PRIVATE KEY-----").count - 1 == 2)
        #expect(opened.standardOutput.contains("friendlyName: authentication"))
        #expect(opened.standardOutput.contains("SSIN=85073003328"))
        let wrongPassword = try await EndToEnd.openssl(["pkcs12", "-in", keystore, "-passin", "pass:not-the-password", "-nodes"])
        #expect(wrongPassword.status != 0)

        // The ETK is DER CMS; keystore show checks that the keystore holds its key.
        let cms = try await EndToEnd.openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", etk])
        #expect(cms.status == 0, "\(cms.standardError)")
        #expect(cms.standardOutput.contains("pkcs7-signedData"))
        let show = try await EndToEnd.ehcert(["keystore", "show", keystore, "--json", "--password-env", EndToEnd.keystorePasswordVariable])
        #expect(show.status == 0, "\(show.standardError)")
        let report = try EndToEnd.object(show.standardOutput)
        let entries = try #require(report["entries"] as? [[String: Any]])
        let etkReport = try #require(report["etk"] as? [String: Any])
        #expect(etkReport["keystoreHoldsKey"] as? Bool == true)
        #expect(etkReport["file"] as? String == etk)
        #expect(entries.filter { $0["role"] as? String != "trustedCertificate" }.compactMap { $0["alias"] as? String }
                == ["authentication", etkReport["alias"] as? String])
        // The CA chain also as trusted-certificate entries named by subject, as in the platform's keystores.
        #expect(entries.contains { $0["role"] as? String == "trustedCertificate" && ($0["alias"] as? String)?.contains("eHealth issuing CA Sandbox") == true })
        #expect(opened.standardOutput.contains("friendlyName: \(etkReport["alias"] as? String ?? "?")"))
        let showText = try await EndToEnd.ehcert(["keystore", "show", keystore, "--password-env", EndToEnd.keystorePasswordVariable])
        #expect(showText.standardOutput.contains("eHealth authentication key"))
        #expect(showText.standardOutput.contains("the keystore holds its encryption key under the alias"))

        // Every exchange went over HTTP and is in the trace.
        let trace = try FileManager.default.contentsOfDirectory(atPath: folders.trace.path)
        for operation in ["getActorQualities", "generateContract", "generateCertificate", "getCertificate", "startETKRegistration", "completeETKRegistration"] {
            #expect(trace.contains { $0.hasSuffix("-\(operation)-response.xml") }, "\(operation)")
        }
    }

    @Test("status, list and check --json describe the new certificate; check warns within --warn-days of expiry")
    func information() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let created = try await EndToEnd.ehcert(folders.createArguments(sandbox, .peeters) + ["--json"])
        #expect(created.status == 0, "\(created.standardError)")
        let result = try EndToEnd.object(created.standardOutput)
        let keystore = try #require(result["keystoreFile"] as? String)
        #expect(FileManager.default.fileExists(atPath: keystore))
        #expect((result["etkFile"] as? String).map(FileManager.default.fileExists(atPath:)) == true)
        #expect((result["steps"] as? [[String: Any]])?.contains { $0["event"] as? String == "stepFinished" && $0["step"] as? Int == 13 } == true)
        let password = ["--password-env", EndToEnd.keystorePasswordVariable]

        let status = try await EndToEnd.ehcert(["status", keystore, "--json"] + password + sandbox.serviceArguments)
        #expect(status.status == 0, "\(status.standardError)")
        let certificate = try EndToEnd.object(status.standardOutput)
        #expect(certificate["status"] as? String == "VALID_ACTIVE")
        #expect(certificate["etkStatus"] as? String == "VALID_ACTIVE")
        #expect(certificate["owner"] as? String == "SSIN=77041228431")
        #expect(certificate["renewal"] as? String == "notYet")
        #expect(certificate["replaceable"] as? Bool == false)
        #expect((certificate["warnings"] as? [Any])?.isEmpty == true)
        #expect(certificate["distinguishedName"] as? String == result["distinguishedName"] as? String)
        let identifier = try #require(certificate["publicKeyIdentifier"] as? String)
        let statusText = try await EndToEnd.ehcert(["status", keystore] + password + sandbox.serviceArguments)
        #expect(statusText.status == 0)
        #expect(statusText.standardOutput.contains("certificate  VALID_ACTIVE"))
        #expect(statusText.standardOutput.contains("key id       \(identifier)"))

        let list = try await EndToEnd.ehcert(["list", "--json"] + EndToEnd.eIDOptions(sandbox, .peeters) + sandbox.serviceArguments)
        #expect(list.status == 0, "\(list.standardError)")
        let listed = try EndToEnd.array(list.standardOutput)
        #expect(listed.map { $0["publicKeyIdentifier"] as? String } == [identifier])
        #expect(listed.first?["revocable"] as? Bool == true)

        let check = try await EndToEnd.ehcert(["check", keystore] + password + sandbox.serviceArguments)
        #expect(check.status == 0, "\(check.standardOutput) \(check.standardError)")
        #expect(check.standardOutput.hasPrefix("✓ \(keystore), valid until "))
        let checkJSON = try await EndToEnd.ehcert(["check", keystore, "--json"] + password + sandbox.serviceArguments)
        #expect(checkJSON.status == 0)
        #expect(try EndToEnd.array(checkJSON.standardOutput).first?["needsAttention"] as? Bool == false)
        // A new certificate lives three years: with a warning period longer than that, check warns.
        let warned = try await EndToEnd.ehcert(["check", keystore, "--warn-days", "1200"] + password + sandbox.serviceArguments)
        #expect(warned.status == 8)
        #expect(warned.standardOutput.contains("EXPIRES_SOON"))
        #expect(warned.standardOutput.contains("REPLACEMENT_WINDOW_OPENS"))
    }

    @Test("endpoints lists each environment's CertRA and EtkRA")
    func endpoints() async throws {
        let run = try await EndToEnd.ehcert(["endpoints"])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.first == "sandbox: CertRA http://127.0.0.1:8080/CertRa/v2  EtkRA http://127.0.0.1:8080/EtkRa/v2")
        #expect(lines.contains("acceptance: CertRA https://services-acpt.ehealth.fgov.be/CertRa/v2  EtkRA https://services-acpt.ehealth.fgov.be/EtkRa/v2"))
        #expect(lines.contains("production: CertRA https://services.ehealth.fgov.be/CertRa/v2  EtkRA https://services.ehealth.fgov.be/EtkRa/v2"))
    }
}
