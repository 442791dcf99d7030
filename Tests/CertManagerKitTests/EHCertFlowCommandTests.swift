import CertManagerKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import Security
import Testing

/// `ehcert foreigner` + `resume`, `revoke`, and `demo --scenario all`.
@Suite("ehcert foreigner, revoke, demo --scenario all", .serialized, .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertFlowCommandTests {
    @Test("foreigner stops with exit 3 and the validation link; after confirming, resume finishes the keystore")
    func foreigner() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let folder = EHCertCommandTests.temporaryFolder()
        let work = folder.appendingPathComponent("work").path
        let submitted = try await EHCertInformationCommandTests.run(
            ["foreigner", "--bis", "92471004672", "--first-name", "Mary", "--last-name", "Jones", "--email", "mary@example.com", "--phone", "+441000",
             "--keystore-dir", folder.appendingPathComponent("keystores").path, "--workdir", work, "--password-env", "EHCERT_TEST_PASSWORD"]
            + EHCertInformationCommandTests.service(sandbox))
        #expect(submitted.status == 3, "\(submitted.standardError)")
        #expect(submitted.standardOutput.contains("submitCSRForForeigner"))
        let link = try #require(submitted.standardOutput.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http") && $0.contains("/foreigner/validate/") }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",.;")) })
        var confirmation = URLRequest(url: URL(string: link)!)
        confirmation.httpMethod = "POST"
        let (_, answer) = try await URLSession.shared.data(for: confirmation)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)

        let resumed = try await EHCertInformationCommandTests.run(["resume", "--workdir", work, "--password-env", "EHCERT_TEST_PASSWORD", "--json", "--max-wait", "1"]
                                                                  + EHCertInformationCommandTests.service(sandbox))
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let json = try EHCertInformationCommandTests.object(resumed.standardOutput)
        #expect((json["distinguishedName"] as? String)?.contains("SSIN\\=92471004672") == true)
    }

    @Test("revoke --json with an explicit identifier and reason")
    func revoke() async throws {
        let (sandbox, _) = try await InformationTests.Fixture.shared.sandboxWithCertificate()
        let created = try await RenewalTests.createOrganization("CLI-REVOKE", sandbox: sandbox, folders: TestFolders())
        let identifier = try PublicKeyIdentifierHex.of(created)
        let citizen = SandboxFixture.citizen("DUPONT", in: sandbox)
        let run = try await EHCertInformationCommandTests.run(
            ["revoke", "--public-key-identifier", identifier, "--reason", "cessationOfOperation", "--accept-contract", "--json",
             "--eid-p12", citizen.eidKeystore.path, "--eid-pin-env", "EHCERT_TEST_EID"] + EHCertInformationCommandTests.service(sandbox))
        #expect(run.status == 0, "\(run.standardError)")
        let json = try EHCertInformationCommandTests.object(run.standardOutput)
        #expect(json["status"] as? String == "REVOKED")
        #expect(json["publicKeyIdentifier"] as? String == identifier)

        let unknownReason = try await EHCertInformationCommandTests.run(["revoke", "--reason", "tired", "--env", "sandbox"])
        #expect(unknownReason.status == 64)
    }

    @Test("demo --scenario all runs every flow and its trace holds all 14 operations")
    func demoAll() async throws {
        let folder = EHCertCommandTests.temporaryFolder()
        let trace = folder.appendingPathComponent("trace")
        let run = try await EHCertInformationCommandTests.run(["demo", "--scenario", "all", "--workdir", folder.path, "--trace-dir", trace.path, "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try EHCertInformationCommandTests.object(run.standardOutput)
        #expect(json["activation"] as? String == "activated")
        let files = try FileManager.default.contentsOfDirectory(atPath: trace.path)
        for operation in PlatformOperation.allCases {
            #expect(files.contains { $0.contains("-\(operation.name)-request") }, "\(operation.name)")
        }
    }
}

enum PublicKeyIdentifierHex {
    static func of(_ result: CreateETKResult) throws -> String {
        try Security.PublicKeyIdentifier(certificate: result.authenticationCertificate).hex
    }
}
