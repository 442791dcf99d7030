import CertManagerKit
import Foundation
import Sandbox
import SandboxHTTP
import Security
import Testing

/// `ehcert etk show` on the ETK the sandbox made for DUPONT's keystore.
@Suite("ehcert etk show", .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertETKShowTests {
    static let environment = ["KEYSTORE_PASSWORD": FlowFixture.password, "EID_PASSWORD": SandboxWorld.citizenKeystorePassword]

    static func fixture() async throws -> (sandbox: EmbeddedSandbox, keystore: URL, etkFile: URL, etk: ETK) {
        let (sandbox, result) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let etkFile = try #require(result.etkFile)
        return (sandbox, result.keystoreFile, etkFile, try ETK(derEncoded: try Data(contentsOf: etkFile)))
    }

    @Test("--json: owner, encryption certificate, validity and signer, as the ETK holds them")
    func details() async throws {
        let (_, _, etkFile, etk) = try await Self.fixture()
        let run = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try EHCertIsolated.object(run.standardOutput)
        #expect(json["encoding"] as? String == "der")
        #expect(json["ownerIdentifier"] as? String == "SSIN=85073003328")
        #expect(json["owner"] as? String == etk.encryptionCertificate.certificate.subject.description)
        #expect(json["digestAlgorithm"] as? String == "SHA-256")
        let encryption = try #require(json["encryptionCertificate"] as? [String: Any])
        #expect(encryption["serialNumber"] as? String == etk.encryptionCertificate.keystoreAlias)
        #expect(encryption["keyAlgorithm"] as? String == "RSA 2048")
        let signer = try #require(json["signer"] as? [String: Any])
        #expect(signer["subject"] as? String == etk.signerCertificate.subject.description)
        let formatter = ISO8601DateFormatter()
        #expect((json["notAfter"] as? String).flatMap(formatter.date(from:)) == etk.encryptionCertificate.certificate.notValidAfter)
        #expect(json["keystore"] == nil, "no keystore asked about")
    }

    @Test("--keystore: the keystore that holds the key names its alias; another keystore does not hold it")
    func keystoreMatch() async throws {
        let (sandbox, keystore, etkFile, etk) = try await Self.fixture()
        let matching = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--keystore", keystore.path,
                                                     "--password-env", "KEYSTORE_PASSWORD", "--json"], environment: Self.environment)
        #expect(matching.status == 0, "\(matching.standardError)")
        let match = try #require(try EHCertIsolated.object(matching.standardOutput)["keystore"] as? [String: Any])
        #expect(match["holdsKey"] as? Bool == true)
        #expect(match["alias"] as? String == etk.encryptionCertificate.keystoreAlias)

        let text = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--keystore", keystore.path,
                                                 "--password-env", "KEYSTORE_PASSWORD"], environment: Self.environment)
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("holds the ETK's private key under the alias \(etk.encryptionCertificate.keystoreAlias)"))
        #expect(text.standardOutput.contains("owner        DUPONT JEAN, SSIN=85073003328"))

        // The citizen's software eID: a keystore, but without the ETK's key.
        let other = SandboxFixture.citizen("DUPONT", in: sandbox).eidKeystore
        let notMatching = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--keystore", other.path,
                                                        "--password-env", "EID_PASSWORD", "--json"], environment: Self.environment)
        #expect(notMatching.status == 0, "\(notMatching.standardError)")
        let miss = try #require(try EHCertIsolated.object(notMatching.standardOutput)["keystore"] as? [String: Any])
        #expect(miss["holdsKey"] as? Bool == false)
        #expect(miss["alias"] == nil)
        let missText = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--keystore", other.path,
                                                     "--password-env", "EID_PASSWORD"], environment: Self.environment)
        #expect(missText.standardOutput.contains("does not hold the ETK's private key"))

        let wrong = try await EHCertIsolated.run(["etk", "show", etkFile.path, "--keystore", keystore.path,
                                                  "--password-env", "EID_PASSWORD"], environment: Self.environment)
        #expect(wrong.status == 5)
        #expect(wrong.standardError.contains("KEYSTORE_WRONG_PASSWORD"))
    }

    @Test("base64 and PEM forms read as the DER file does; a file that is no ETK is an error")
    func encodings() async throws {
        let (_, keystore, etkFile, etk) = try await Self.fixture()
        let folder = try EHCertIsolated.folder("etk")
        let base64 = Data(try Data(contentsOf: etkFile).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]).utf8)
        let bare = folder.appendingPathComponent("etk.b64")
        try base64.write(to: bare)
        let pem = folder.appendingPathComponent("etk.pem")
        try Data(("-----BEGIN PKCS7-----\n" + String(decoding: base64, as: UTF8.self) + "\n-----END PKCS7-----\n").utf8).write(to: pem)
        for (file, encoding) in [(bare, "base64"), (pem, "pem")] {
            let run = try await EHCertIsolated.run(["etk", "show", file.path, "--json"])
            #expect(run.status == 0, "\(run.standardError)")
            let json = try EHCertIsolated.object(run.standardOutput)
            #expect(json["encoding"] as? String == encoding)
            #expect((json["encryptionCertificate"] as? [String: Any])?["serialNumber"] as? String == etk.encryptionCertificate.keystoreAlias)
        }

        let notETK = try await EHCertIsolated.run(["etk", "show", keystore.path])
        #expect(notETK.status == 1)
        #expect(notETK.standardError.contains("is not an ETK"))
    }
}
