import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `ehcert foreigner` against a sandbox process: the request stops with the pending exit code
/// and the validation page's address; the person confirms on that page (an HTTP POST to the
/// sandbox), and `ehcert resume` finishes the keystore.
@Suite("ehcert end to end: foreigner", .enabled(if: SandboxProcess.available, SandboxProcess.skipReason))
struct EHCertEndToEndForeignerTests {
    @Test("foreigner exits 3 with the validation link; resume waits for it, then finishes once confirmed")
    func foreigner() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folders = try EndToEnd()
        let submitted = try await EndToEnd.ehcert(["foreigner", "--bis", "92471004573", "--first-name", "Mary", "--first-name", "Ann", "--last-name", "Jones",
                                                   "--email", "mary@example.com", "--phone", "+441000", "--keystore-dir", folders.keystores]
                                                  + folders.flowOptions + sandbox.serviceArguments)
        #expect(submitted.status == 3, "\(submitted.standardOutput) \(submitted.standardError)")
        let flowID = try #require(EndToEnd.flowID(in: submitted.standardOutput))
        let link = try #require(submitted.standardOutput.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http://") && $0.contains("/foreigner/") }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",.;")) }, "\(submitted.standardOutput)")
        #expect(link.hasPrefix(sandbox.certRA.absoluteString.replacingOccurrences(of: "/CertRa/v2", with: "")))
        #expect(submitted.standardOutput.contains("then run: ehcert resume \(flowID)"))

        // Not confirmed yet: resume stops again, with the same exit code.
        let early = try await EndToEnd.ehcert(["resume", flowID, "--max-wait", "0"] + folders.flowOptions + sandbox.serviceArguments)
        #expect(early.status == 3, "\(early.standardOutput) \(early.standardError)")

        var confirmation = URLRequest(url: try #require(URL(string: link)))
        confirmation.httpMethod = "POST"
        let (_, answer) = try await URLSession.shared.data(for: confirmation)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)

        let resumed = try await EndToEnd.ehcert(["resume", flowID, "--json", "--max-wait", "1"] + folders.flowOptions + sandbox.serviceArguments)
        #expect(resumed.status == 0, "\(resumed.standardOutput) \(resumed.standardError)")
        let result = try EndToEnd.object(resumed.standardOutput)
        #expect((result["distinguishedName"] as? String)?.contains("SSIN\\=92471004573") == true)
        let keystore = try #require(result["keystoreFile"] as? String)
        let opened = try await EndToEnd.openssl(["pkcs12", "-in", keystore, "-passin", "env:\(EndToEnd.keystorePasswordVariable)", "-nokeys", "-clcerts"])
        #expect(opened.status == 0, "\(opened.standardError)")
        #expect(opened.standardOutput.contains("SSIN=92471004573"))
        #expect((result["etkFile"] as? String).map(FileManager.default.fileExists(atPath:)) == true)
    }
}
