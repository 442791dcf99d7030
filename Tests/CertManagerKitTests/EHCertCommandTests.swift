import Crypto
import Foundation
import Security
import Testing
import X509

/// The `ehcert` command line as a person or a script uses it: output, JSON, files, exit codes.
@Suite("ehcert demo, keystore show and exit codes", .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertCommandTests {
    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ehcert-cli-\(UUID().uuidString.prefix(8))")
    }

    @Test("`ehcert demo` runs steps 1 to 13 against its sandbox and ends with the keystore's contents")
    func demoText() throws {
        let folder = Self.temporaryFolder()
        let run = try EHCertExecutable.run(["demo", "--workdir", folder.path, "--trace-dir", folder.appendingPathComponent("trace").path],
                                           environment: ["NO_COLOR": "1"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.components(separatedBy: "\n")
        for number in [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13] {
            #expect(lines.contains { $0.hasPrefix(String(format: "%2d) ", number)) && !$0.contains("skipped") }, "step \(number)")
        }
        #expect(lines.contains { $0.hasPrefix(" 3) ") && $0.contains("skipped") })
        #expect(run.standardOutput.contains("CERT_NOT_YET_DELIVERED"))
        #expect(run.standardOutput.contains("Contract for CN=SSIN=85073003328"))
        #expect(run.standardOutput.contains("the keystore holds its encryption key under the alias"))
        #expect(!run.standardOutput.contains("\u{1B}["), "no colour without a terminal")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sandbox/trust/ehealth-root.pem").path))
        let trace = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("trace").path)
        #expect(trace.contains("001-getActorQualities-request.xml"))
        #expect(trace.contains { $0.hasSuffix("-completeETKRegistration-response.xml") })

        // Run again in the same folder: the finished demo is shown, nothing is requested again.
        let again = try EHCertExecutable.run(["demo", "--workdir", folder.path])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("already ran in this folder"))
    }

    @Test("`ehcert demo --json` prints one document describing the keystore, the ETK and the steps")
    func demoJSON() throws {
        let folder = Self.temporaryFolder()
        let run = try EHCertExecutable.run(["demo", "--workdir", folder.path, "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let keystore = try #require(document["keystore"] as? [String: Any])
        let entries = try #require(keystore["entries"] as? [[String: Any]])
        let alias = try #require(document["encryptionKeyAlias"] as? String)
        // The keys, then the CA chain as trusted-certificate entries (as in the platform's keystores).
        #expect(entries.filter { $0["role"] as? String != "trustedCertificate" }.map { $0["alias"] as? String } == ["authentication", alias])
        #expect(entries.contains { $0["role"] as? String == "trustedCertificate" })
        let etk = try #require(keystore["etk"] as? [String: Any])
        #expect(etk["keystoreHoldsKey"] as? Bool == true)
        let steps = try #require(document["steps"] as? [[String: Any]])
        #expect(steps.contains { $0["event"] as? String == "stepFinished" && $0["step"] as? Int == 13 })

        // The keystore opens with the demo's password; keystore show reports the same.
        let file = try #require(document["keystoreFile"] as? String)
        let keystore2 = try Keystore(contentsOf: URL(fileURLWithPath: file), password: "ehcert-demo")
        #expect(keystore2.encryptionAliases == [alias])
        let show = try EHCertExecutable.run(["keystore", "show", file, "--password-env", "KS", "--json"], environment: ["KS": "ehcert-demo"])
        #expect(show.status == 0)
        #expect(show.standardOutput.contains("\"alias\" : \"\(alias)\""))
    }

    @Test("documented exit codes: a wrong password is a configuration problem, a missing option a usage error")
    func exitCodes() throws {
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("empty.p12")
        var keystore = Keystore()
        keystore.setCertificate(try TestCertificate.make(), alias: "ca")
        try keystore.write(to: file, password: "right")
        let wrong = try EHCertExecutable.run(["keystore", "show", file.path, "--password-env", "KS"], environment: ["KS": "wrong"])
        #expect(wrong.status == 5)
        #expect(wrong.standardError.contains("KEYSTORE_WRONG_PASSWORD"))
        let missing = try EHCertExecutable.run(["keystore", "show", file.path, "--password-env", "UNSET_VARIABLE_FOR_TEST"])
        #expect(missing.status == 5)
        let usage = try EHCertExecutable.run(["create", "--email", "a@example.be", "--phone", "1"])
        #expect(usage.status == 64)
        #expect(usage.standardError.contains("--env"))
        let help = try EHCertExecutable.run(["--help"])
        #expect(help.standardOutput.contains("Exit codes"))
    }
}

enum TestCertificate {
    static func make() throws -> X509.Certificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("test") }
        return try X509.Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                                    notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600), issuer: name, subject: name,
                                    signatureAlgorithm: .ecdsaWithSHA256, extensions: .init(), issuerPrivateKey: .init(key))
    }
}
