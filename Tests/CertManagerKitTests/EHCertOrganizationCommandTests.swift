import CertManagerKit
import Foundation
import Sandbox
import Testing

/// `ehcert org-types` and `ehcert app-ids` against the shared sandbox.
@Suite("ehcert org-types, app-ids", .enabled(if: EHCertExecutable.available, "ehcert is not built next to the tests"))
struct EHCertOrganizationCommandTests {
    @Test("org-types --json lists each type with its identifier regex and check-digit algorithm; the text shows them")
    func organizationTypes() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let run = try await EHCertIsolated.run(["org-types", "--json"] + EHCertIsolated.service(sandbox))
        #expect(run.status == 0, "\(run.standardError)")
        let types = try EHCertIsolated.array(run.standardOutput)
        #expect(types.map { $0["identifierType"] as? String } == ["CBE", "NIHII-HOSPITAL", "NIHII-PHARMACY"])
        let cbe = try #require(types.first)
        #expect(cbe["validationRegEx"] as? String == "[0-9]{10}")
        #expect(cbe["checkDigitAlgorithms"] as? [String] == ["MOD97"])
        #expect((cbe["names"] as? [String: String])?.values.contains("Entreprise (numéro BCE)") == true)

        let text = try await EHCertIsolated.run(["org-types", "--language", "nl"] + EHCertIsolated.service(sandbox))
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("CBE  Onderneming (KBO-nummer)"))
        #expect(text.standardOutput.contains("identifier   matches 71[0-9]{6}"))
        #expect(text.standardOutput.contains("check digit  MOD97 (modulo 97)"))
    }

    @Test("app-ids lists the ids an organization's certificates use, after one is made with an application id")
    func applicationIDs() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let folders = TestFolders()
        let owner = CreateETKRequest.Owner.organization(.init(type: "NIHII-HOSPITAL", identifier: "71000436", applicationID: "APPIDS-CLI"))
        _ = try await CreateETKFlow.start(FlowFixture.request(owner, folders: folders), endpoints: FlowFixture.endpoints(sandbox), workDirectory: folders.work)
            .run(eID: FlowFixture.eID(SandboxFixture.citizen("DUPONT", in: sandbox)), keystorePassword: FlowFixture.password,
                 settings: FlowFixture.settings(sandbox, transport: try RecordingTransport()), reviewContract: FlowFixture.accept, progress: { _ in })

        let run = try await EHCertIsolated.run(["app-ids", "--org-type", "NIHII-HOSPITAL", "--org-id", "71000436", "--json"] + EHCertIsolated.service(sandbox))
        #expect(run.status == 0, "\(run.standardError)")
        let json = try EHCertIsolated.object(run.standardOutput)
        #expect(json["organizationType"] as? String == "NIHII-HOSPITAL")
        #expect(json["organizationIdentifier"] as? String == "71000436")
        #expect((json["applicationIDs"] as? [String])?.contains("APPIDS-CLI") == true)

        let text = try await EHCertIsolated.run(["app-ids", "--org-type", "NIHII-HOSPITAL", "--org-id", "71000436"] + EHCertIsolated.service(sandbox))
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("NIHII-HOSPITAL=71000436 uses"))
        #expect(text.standardOutput.contains("  APPIDS-CLI"))

        let none = try await EHCertIsolated.run(["app-ids", "--org-type", "NIHII-PHARMACY", "--org-id", "12345678"] + EHCertIsolated.service(sandbox))
        #expect(none.status == 0, "\(none.standardError)")
        #expect(none.standardOutput.contains("NIHII-PHARMACY=12345678 uses no application id."))
    }

    @Test("app-ids checks the identifier before sending: a wrong check digit or an unknown type is a usage error")
    func applicationIDsChecksIdentifier() async throws {
        let sandbox = try await SandboxFixture.shared.sandbox()
        let badDigit = try await EHCertIsolated.run(["app-ids", "--org-type", "CBE", "--org-id", "0412345615"] + EHCertIsolated.service(sandbox))
        #expect(badDigit.status == 64)
        #expect(badDigit.standardError.contains("ORGANIZATION_IDENTIFIER_INVALID"))
        #expect(badDigit.standardError.contains("modulo 97"))

        let unknown = try await EHCertIsolated.run(["app-ids", "--org-type", "NIHII-LAB", "--org-id", "1", "--json"] + EHCertIsolated.service(sandbox))
        #expect(unknown.status == 64)
        let error = try #require(try EHCertIsolated.object(unknown.standardOutput)["error"] as? [String: Any])
        #expect(error["code"] as? String == "ORGANIZATION_TYPE_UNKNOWN")
        #expect((error["advice"] as? String)?.contains("CBE, NIHII-HOSPITAL, NIHII-PHARMACY") == true)

        let noService = try await EHCertIsolated.run(["org-types"])
        #expect(noService.status == 64, "no endpoints: a usage error")
    }
}
